import { describe, expect, it } from 'vitest';
import type { RawDescribeLogDirs } from '../../../src/probes/kafka-admin/protocol/describe-log-dirs.js';
import type { RawMetadata } from '../../../src/probes/kafka-admin/protocol/metadata.js';
import { checkLogDirs, checkMetadata } from '../../../src/probes/kafka-admin/schema.js';

const md = (): RawMetadata => ({
  throttleTimeMs: 0,
  clusterId: 'c',
  controllerId: 1,
  brokers: [
    { nodeId: 1, host: 'h', port: 9092, rack: null },
    { nodeId: 2, host: 'h', port: 9093, rack: null },
  ],
  topics: [
    {
      errorCode: 0,
      name: 't',
      isInternal: false,
      partitions: [
        {
          errorCode: 0,
          partition: 0,
          leader: 1,
          leaderEpoch: 0,
          replicas: [1, 2],
          isr: [1, 2],
          offlineReplicas: [],
        },
      ],
    },
  ],
});

const dirs = (): RawDescribeLogDirs => ({
  throttleTimeMs: 0,
  errorCode: 0,
  results: [
    {
      errorCode: 0,
      logDir: '/d',
      totalBytes: 100,
      usableBytes: 40,
      topics: [{ name: 't', partitions: [{ partition: 0, sizeBytes: 10, offsetLag: 0, isFuture: false }] }],
    },
  ],
});

describe('boundary checks on broker answers', () => {
  it('accepts well-formed answers unchanged', () => {
    expect(checkMetadata(md(), 'src')).toEqual(md());
    expect(checkLogDirs(dirs(), 'src')).toEqual(dirs());
    expect(
      checkLogDirs(
        { ...dirs(), results: [{ ...dirs().results[0]!, totalBytes: -1, usableBytes: -1 }] },
        'src',
      ).results[0]!.totalBytes,
    ).toBe(-1);
  });

  it.each([
    [
      (m: RawMetadata) => (m.brokers[1]!.nodeId = 1),
      'broker 3 Metadata: brokers[1].node_id: expected a unique broker id (got duplicate 1)',
    ],
    [
      (m: RawMetadata) => (m.brokers[0]!.port = 0),
      'broker 3 Metadata: brokers[0].port: expected a TCP port (got 0)',
    ],
    [
      (m: RawMetadata) => (m.topics[0]!.partitions[0]!.replicas = [1, -2]),
      'broker 3 Metadata: topics[0](t).partitions[0].replica_nodes: expected broker ids (got [1,-2])',
    ],
  ])('names the field of a bad Metadata answer %#', (mutate, message) => {
    const m = md();
    mutate(m);
    expect(() => checkMetadata(m, 'broker 3 Metadata')).toThrow(message);
  });

  it.each([
    [
      (d: RawDescribeLogDirs) => (d.results[0]!.usableBytes = 101),
      'results[0].usable_bytes: expected at most total_bytes (100) (got 101)',
    ],
    [
      (d: RawDescribeLogDirs) => (d.results[0]!.totalBytes = -5),
      'results[0].total_bytes: expected -1 (unknown) or a byte count (got -5)',
    ],
    [
      (d: RawDescribeLogDirs) => (d.results[0]!.topics[0]!.partitions[0]!.sizeBytes = -1),
      'results[0](/d).t-0.partition_size: expected a non-negative size (got -1)',
    ],
  ])('names the field of a bad DescribeLogDirs answer %#', (mutate, message) => {
    const d = dirs();
    mutate(d);
    expect(() => checkLogDirs(d, 'broker 2 DescribeLogDirs response')).toThrow(
      expect.objectContaining({ exitCode: 65, message: expect.stringContaining(message) }),
    );
  });
});
