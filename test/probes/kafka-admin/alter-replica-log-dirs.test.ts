/**
 * AlterReplicaLogDirs (API 34) byte by byte, as https://kafka.apache.org/protocol lays it out
 * (v1: classic strings and arrays; v2: compact forms and tagged fields), and the mapping of its
 * per-partition answers back to the requested replicas.
 */
import { describe, expect, it } from 'vitest';
import { toLogDirMoveResults, toLogDirMoves } from '../../../src/probes/kafka-admin/map.js';
import { AlterReplicaLogDirs } from '../../../src/probes/kafka-admin/protocol/alter-replica-log-dirs.js';
import { decodeBody, encodeBody } from '../../../src/probes/kafka-admin/protocol/api.js';

const hex = (s: string) => Buffer.from(s.replace(/#[^\n]*/g, '').replace(/\s+/g, ''), 'hex');
const show = (b: Buffer) => b.toString('hex').replace(/(..)/g, '$1 ').trim();
const ascii = (s: string) => show(Buffer.from(s));

const REQ = { dirs: [{ path: '/d', topics: [{ name: 't', partitions: [0, 2] }] }] };

describe('AlterReplicaLogDirs', () => {
  it('encodes v2 (flexible): header tags, compact dirs/topics/partitions, tags at each level', () => {
    expect(show(encodeBody(AlterReplicaLogDirs, REQ, 2))).toBe(
      show(
        hex(`00                    # request header v2 tags
             02                    # dirs: 1 (compact: n+1)
             03 ${ascii('/d')}     # path "/d" (compact: length+1)
             02                    # topics: 1
             02 ${ascii('t')}      # name "t"
             03 00000000 00000002  # partitions [0, 2]
             00                    # topic tags
             00                    # dir tags
             00                    # request tags`),
      ),
    );
  });

  it('encodes v1 (classic): int32 counts and int16 string lengths, no tags', () => {
    expect(show(encodeBody(AlterReplicaLogDirs, REQ, 1))).toBe(
      show(hex(`00000001 0002 ${ascii('/d')} 00000001 0001 ${ascii('t')} 00000002 00000000 00000002`)),
    );
  });

  it('decodes v2 per-partition results', () => {
    const payload = hex(`00                      # response header tags
                         00000000                # throttle_time_ms
                         02                      # results: 1
                         02 ${ascii('t')}        # topic_name
                         03 00000000 0000 00     # partition 0, NONE, tags
                            00000002 0009 00     # partition 2, REPLICA_NOT_AVAILABLE, tags
                         00                      # result tags
                         00                      # response tags`);
    expect(decodeBody(AlterReplicaLogDirs, payload, 2)).toEqual({
      throttleTimeMs: 0,
      results: [
        {
          topic: 't',
          partitions: [
            { partition: 0, errorCode: 0 },
            { partition: 2, errorCode: 9 },
          ],
        },
      ],
    });
  });

  it('groups a broker’s moves by dir then topic, and maps answers back (a replica not answered is an error)', () => {
    const moves = [
      { brokerId: 1, topic: 't', partition: 0, path: '/a' },
      { brokerId: 1, topic: 't', partition: 2, path: '/a' },
      { brokerId: 1, topic: 'u', partition: 1, path: '/b' },
    ];
    expect(toLogDirMoves(moves)).toEqual([
      { path: '/a', topics: [{ name: 't', partitions: [0, 2] }] },
      { path: '/b', topics: [{ name: 'u', partitions: [1] }] },
    ]);
    const res = toLogDirMoveResults(moves, {
      throttleTimeMs: 0,
      results: [
        {
          topic: 't',
          partitions: [
            { partition: 0, errorCode: 0 },
            { partition: 2, errorCode: 57 },
          ],
        },
      ],
    });
    expect(res.map((r) => r.error?.name ?? 'ok')).toEqual([
      'ok',
      'LOG_DIR_NOT_FOUND',
      'UNKNOWN_SERVER_ERROR',
    ]);
  });
});
