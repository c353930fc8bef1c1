/**
 * Byte-level specification of streamctl's own Kafka requests: exact request bytes per version and
 * decoding of hand-assembled responses laid out as https://kafka.apache.org/protocol documents
 * them (the DescribeLogDirs v4 layout matches a captured broker answer: error, dir, topics,
 * total_bytes, usable_bytes, tags).
 */
import { describe, expect, it } from 'vitest';
import { AlterPartitionReassignments } from '../../../src/probes/kafka-admin/protocol/alter-partition-reassignments.js';
import { decodeBody, encodeBody, pickVersion } from '../../../src/probes/kafka-admin/protocol/api.js';
import { DescribeConfigs } from '../../../src/probes/kafka-admin/protocol/describe-configs.js';
import { DescribeLogDirs } from '../../../src/probes/kafka-admin/protocol/describe-log-dirs.js';
import { ElectLeaders } from '../../../src/probes/kafka-admin/protocol/elect-leaders.js';
import { IncrementalAlterConfigs } from '../../../src/probes/kafka-admin/protocol/incremental-alter-configs.js';
import { ListPartitionReassignments } from '../../../src/probes/kafka-admin/protocol/list-partition-reassignments.js';
import { Metadata } from '../../../src/probes/kafka-admin/protocol/metadata.js';
import { Reader, WireError, Writer } from '../../../src/probes/kafka-admin/protocol/wire.js';

/** Bytes from a readable hex string ("00 0a ff  # comment"; spaces, newlines and # comments ignored). */
const hex = (s: string) => Buffer.from(s.replace(/#[^\n]*/g, '').replace(/\s+/g, ''), 'hex');
const show = (b: Buffer) => b.toString('hex').replace(/(..)/g, '$1 ').trim();
/** "t" as a compact string, and the like. */
const cstr = (s: string) => show(Buffer.concat([Buffer.from([s.length + 1]), Buffer.from(s)]));
const str = (s: string) => show(Buffer.concat([Buffer.from([0, s.length]), Buffer.from(s)]));

describe('wire primitives', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '80 01'],
    [300, 'ac 02'],
    [16384, '80 80 01'],
  ])('writes uvarint %i as %s and reads it back', (n, bytes) => {
    expect(show(new Writer().uvarint(n).bytes())).toBe(bytes);
    expect(new Reader(hex(bytes)).uvarint()).toBe(n);
  });

  it.each([
    ['null compact string', (w: Writer) => w.compactString(null), '00'],
    ['empty compact string', (w: Writer) => w.compactString(''), '01'],
    ['compact string', (w: Writer) => w.compactString('ab'), '03 61 62'],
    ['null string', (w: Writer) => w.string(null), 'ff ff'],
    ['string', (w: Writer) => w.string('ab'), '00 02 61 62'],
    ['null array', (w: Writer) => w.array(null, () => undefined), 'ff ff ff ff'],
    ['null compact array', (w: Writer) => w.compactArray(null, () => undefined), '00'],
    [
      'compact int32 array',
      (w: Writer) => w.compactArray([1, 2], (w, v) => w.int32(v)),
      '03 00 00 00 01 00 00 00 02',
    ],
    ['int64 of 5 TB', (w: Writer) => w.int64(5e12), '00 00 04 8c 27 39 50 00'],
  ])('encodes a %s', (_name, write, bytes) => {
    const w = new Writer(1);
    write(w);
    expect(show(w.bytes())).toBe(bytes);
  });

  it.each([
    ['00 00 04 8c 27 39 50 00', 5e12],
    ['ff ff ff ff ff ff ff ff', -1],
    ['00 1f ff ff ff ff ff ff', 2 ** 53 - 1],
  ])('reads int64 %s as %d', (bytes, n) => {
    expect(new Reader(hex(bytes)).int64()).toBe(n);
  });

  it('skips unknown tagged fields', () => {
    const r = new Reader(hex('02 00 02 aa bb 05 01 cc 7f'));
    r.tags();
    expect(r.int8()).toBe(0x7f);
  });

  it('refuses a truncated response instead of reading garbage', () => {
    expect(() => new Reader(hex('00 00 01')).int32()).toThrow(WireError);
    expect(() => new Reader(hex('05 61 62')).compactString()).toThrow(/truncated/);
  });
});

describe('pickVersion', () => {
  it.each([
    ['the broker supports more', { 35: { minVersion: 0, maxVersion: 9 } }, 4],
    ['the broker tops out lower', { 35: { minVersion: 0, maxVersion: 2 } }, 2],
    ['Kafka 4.0 dropped v0', { 35: { minVersion: 1, maxVersion: 4 } }, 4],
  ])('picks the highest common DescribeLogDirs version when %s', (_why, versions, want) => {
    expect(pickVersion(DescribeLogDirs as never, versions)).toBe(want);
  });

  it('refuses when there is no common version or no support at all', () => {
    expect(() => pickVersion(DescribeLogDirs as never, { 35: { minVersion: 5, maxVersion: 6 } })).toThrow(
      /no common DescribeLogDirs version/,
    );
    expect(() => pickVersion(ElectLeaders as never, {})).toThrow(
      /does not support ElectLeaders \(API key 43\)/,
    );
  });
});

describe('DescribeLogDirs', () => {
  it.each([
    [4, '00 00 00'], // header tags, null compact array, tags
    [2, '00 00 00'],
    [1, 'ff ff ff ff'], // null array, no tags
  ])('asks for every partition in v%i as %s', (v, bytes) => {
    expect(show(encodeBody(DescribeLogDirs, { topics: null }, v))).toBe(bytes);
  });

  it('encodes a topic filter in v4', () => {
    expect(show(encodeBody(DescribeLogDirs, { topics: [{ topic: 't', partitions: [0, 1] }] }, 4))).toBe(
      `00 02 ${cstr('t')} 03 00 00 00 00 00 00 00 01 00 00`,
    );
  });

  const v4 = hex(`
    00                         # response header tags
    00 00 00 00                # throttle_time_ms
    00 00                      # error_code
    03                         # 2 results
      00 00 ${cstr('/d1')}     # error, log_dir
      02 ${cstr('t')}          # 1 topic
        03                     # 2 partitions: index, size, offset lag, is_future, tags
          00 00 00 00  00 00 00 00 00 00 10 00  00 00 00 00 00 00 00 00  00  00
          00 00 00 01  00 00 00 00 00 00 20 00  00 00 00 00 00 00 00 05  01  00
        00                     # topic tags
      00 00 01 be e7 e1 70 00  # total_bytes 1919445725184
      00 00 01 b5 83 85 80 00  # usable_bytes 1879107272704
      00
      00 38 ${cstr('/d2')}     # KAFKA_STORAGE_ERROR (56): an offline dir
      01                       # no topics
      ff ff ff ff ff ff ff ff  # total_bytes unknown
      ff ff ff ff ff ff ff ff
      00
    00`);

  it('decodes v4 sizes, lag, future logs and volume capacity per directory', () => {
    const res = decodeBody(DescribeLogDirs, v4, 4);
    expect(res).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      results: [
        {
          errorCode: 0,
          logDir: '/d1',
          topics: [
            {
              name: 't',
              partitions: [
                { partition: 0, sizeBytes: 4096, offsetLag: 0, isFuture: false },
                { partition: 1, sizeBytes: 8192, offsetLag: 5, isFuture: true },
              ],
            },
          ],
          totalBytes: 1919445725184,
          usableBytes: 1879107272704,
        },
        { errorCode: 56, logDir: '/d2', topics: [], totalBytes: -1, usableBytes: -1 },
      ],
    });
  });

  it('decodes v1 (non-flexible, no capacity) with capacity unknown', () => {
    const v1 = hex(`00 00 00 00  00 00 00 01  00 00 ${str('/d')}  00 00 00 01 ${str('t')}
      00 00 00 01  00 00 00 03  00 00 00 00 00 00 00 64  00 00 00 00 00 00 00 00  00`);
    expect(decodeBody(DescribeLogDirs, v1, 1).results[0]).toEqual({
      errorCode: 0,
      logDir: '/d',
      topics: [{ name: 't', partitions: [{ partition: 3, sizeBytes: 100, offsetLag: 0, isFuture: false }] }],
      totalBytes: -1,
      usableBytes: -1,
    });
  });

  it('rejects leftover bytes: a wrong schema is an error, never a partial result', () => {
    expect(() => decodeBody(DescribeLogDirs, Buffer.concat([v4, hex('00')]), 4)).toThrow(/1 bytes left/);
  });
});

describe('IncrementalAlterConfigs', () => {
  const req = {
    resources: [
      {
        type: 4,
        name: '1',
        configs: [
          { name: 'a', op: 0, value: 'x' },
          { name: 'b', op: 1, value: null },
        ],
      },
    ],
    validateOnly: false,
  };
  it('encodes v1 (flexible)', () => {
    expect(show(encodeBody(IncrementalAlterConfigs, req, 1))).toBe(
      `00 02 04 ${cstr('1')} 03 ${cstr('a')} 00 ${cstr('x')} 00 ${cstr('b')} 01 00 00 00 00 00`,
    );
  });
  it('encodes v0 (classic)', () => {
    expect(show(encodeBody(IncrementalAlterConfigs, req, 0))).toBe(
      `00 00 00 01 04 ${str('1')} 00 00 00 02 ${str('a')} 00 ${str('x')} ${str('b')} 01 ff ff 00`,
    );
  });
  it('decodes per-resource errors in v1', () => {
    const res = hex(
      `00 00 00 00 00 03 00 00 00 02 ${cstr('t')} 00 00 28 ${cstr('bad')} 04 ${cstr('2')} 00 00`,
    );
    expect(decodeBody(IncrementalAlterConfigs, res, 1).results).toEqual([
      { errorCode: 0, errorMessage: null, type: 2, name: 't' },
      { errorCode: 40, errorMessage: 'bad', type: 4, name: '2' },
    ]);
  });
});

describe('ElectLeaders', () => {
  const req = { electionType: 0, topicPartitions: [{ topic: 't', partitions: [0] }], timeoutMs: 30000 };
  it('encodes a preferred election in v2 and in v0', () => {
    expect(show(encodeBody(ElectLeaders, req, 2))).toBe(
      `00 00 02 ${cstr('t')} 02 00 00 00 00 00 00 00 75 30 00`,
    );
    expect(show(encodeBody(ElectLeaders, req, 0))).toBe(
      `00 00 00 01 ${str('t')} 00 00 00 01 00 00 00 00 00 00 75 30`,
    );
  });
  it('encodes "every partition" as a null array', () => {
    expect(show(encodeBody(ElectLeaders, { ...req, topicPartitions: null, electionType: 1 }, 1))).toBe(
      '01 ff ff ff ff 00 00 75 30',
    );
  });
  it('refuses an unclean election on v0, which cannot express it', () => {
    expect(() => encodeBody(ElectLeaders, { ...req, electionType: 1 }, 0)).toThrow(/only preferred/);
  });
  it('decodes v1 results with ELECTION_NOT_NEEDED', () => {
    const res = hex(
      `00 00 00 00 00 00 00 00 00 01 ${str('t')} 00 00 00 02 00 00 00 00 00 00 ff ff 00 00 00 01 00 54 ${str('n')}`,
    );
    expect(decodeBody(ElectLeaders, res, 1)).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      results: [
        {
          topic: 't',
          partitions: [
            { partition: 0, errorCode: 0, errorMessage: null },
            { partition: 1, errorCode: 84, errorMessage: 'n' },
          ],
        },
      ],
    });
  });
});

describe('partition reassignments', () => {
  it('encodes a move and a cancel (replicas: null)', () => {
    const req = {
      timeoutMs: 1000,
      topics: [
        {
          name: 't',
          partitions: [
            { partition: 0, replicas: [3, 1] },
            { partition: 1, replicas: null },
          ],
        },
      ],
    };
    expect(show(encodeBody(AlterPartitionReassignments, req, 0))).toBe(
      `00 00 00 03 e8 02 ${cstr('t')} 03 00 00 00 00 03 00 00 00 03 00 00 00 01 00 00 00 00 01 00 00 00 00`,
    );
  });
  it('decodes an ongoing reassignment with adding and removing replicas', () => {
    const res = hex(
      `00 00 00 00 00 00 00 00 02 ${cstr('t')} 02 00 00 00 00 04 00 00 00 03 00 00 00 01 00 00 00 02 02 00 00 00 03 02 00 00 00 02 00 00 00`,
    );
    expect(decodeBody(ListPartitionReassignments, res, 0).topics).toEqual([
      {
        name: 't',
        partitions: [{ partition: 0, replicas: [3, 1, 2], addingReplicas: [3], removingReplicas: [2] }],
      },
    ]);
  });
});

describe('DescribeConfigs', () => {
  it('encodes a BROKER resource with a key filter in v4 and v1', () => {
    const req = { resources: [{ type: 4, name: '2', keys: ['k'] }], includeSynonyms: false };
    expect(show(encodeBody(DescribeConfigs, req, 4))).toBe(
      `00 02 04 ${cstr('2')} 02 ${cstr('k')} 00 00 00 00`,
    );
    expect(show(encodeBody(DescribeConfigs, req, 1))).toBe(
      `00 00 00 01 04 ${str('2')} 00 00 00 01 ${str('k')} 00`,
    );
  });
  it('decodes a v1 entry with its source and a null (sensitive) value', () => {
    const res = hex(
      `00 00 00 00 00 00 00 01 00 00 ff ff 04 ${str('2')} 00 00 00 01 ${str('k')} ff ff 00 02 01 00 00 00 00`,
    );
    expect(decodeBody(DescribeConfigs, res, 1).results[0]).toEqual({
      errorCode: 0,
      errorMessage: null,
      type: 4,
      name: '2',
      configs: [{ name: 'k', value: null, readOnly: false, source: 2, sensitive: true, synonyms: [] }],
    });
  });
});

describe('Metadata', () => {
  it('encodes "all topics" as a null array and never auto-creates', () => {
    expect(show(encodeBody(Metadata, { topics: null }, 7))).toBe('ff ff ff ff 00');
    expect(show(encodeBody(Metadata, { topics: [] }, 7))).toBe('00 00 00 00 00');
  });
  it('decodes v7 with a rack, an offline partition and its offline replica as values', () => {
    const res =
      hex(`00 00 00 00  00 00 00 01  00 00 00 01 ${str('h')} 00 00 23 84 ${str('az1')}  ${str('cid')}  00 00 00 01
      00 00 00 01  00 00 ${str('t')} 00  00 00 00 01
        00 05  00 00 00 00  ff ff ff ff  00 00 00 07  00 00 00 02 00 00 00 02 00 00 00 03  00 00 00 00  00 00 00 01 00 00 00 02`);
    expect(decodeBody(Metadata, res, 7)).toEqual({
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: 'h', port: 9092, rack: 'az1' }],
      clusterId: 'cid',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 't',
          isInternal: false,
          partitions: [
            {
              errorCode: 5,
              partition: 0,
              leader: -1,
              leaderEpoch: 7,
              replicas: [2, 3],
              isr: [],
              offlineReplicas: [2],
            },
          ],
        },
      ],
    });
  });
});
