import { describe, expect, it } from 'vitest';
import * as map from '../../../src/probes/kafka-admin/map.js';

describe('map: raw protocol answers to port values', () => {
  it('sorts brokers, drops empty racks and keeps the cluster id', () => {
    const d = map.toClusterDescription({
      throttleTimeMs: 0,
      clusterId: 'c',
      controllerId: 2,
      topics: [],
      brokers: [
        { nodeId: 3, host: 'h3', port: 9092, rack: '' },
        { nodeId: 1, host: 'h1', port: 9092, rack: 'az1' },
      ],
    });
    expect(d).toEqual({
      clusterId: 'c',
      controllerId: 2,
      brokers: [
        { id: 1, host: 'h1', port: 9092, rack: 'az1' },
        { id: 3, host: 'h3', port: 9092 },
      ],
    });
  });

  it('turns partition and topic error codes into named values', () => {
    const [t] = map.toTopicInfos({
      throttleTimeMs: 0,
      clusterId: null,
      controllerId: 1,
      brokers: [],
      topics: [
        {
          errorCode: 0,
          name: 't',
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partition: 1,
              leader: 2,
              leaderEpoch: 0,
              replicas: [2],
              isr: [2],
              offlineReplicas: [],
            },
            {
              errorCode: 5,
              partition: 0,
              leader: -1,
              leaderEpoch: 0,
              replicas: [1],
              isr: [],
              offlineReplicas: [1],
            },
          ],
        },
      ],
    });
    expect(t!.partitions.map((p) => [p.partition, p.error?.name])).toEqual([
      [0, 'LEADER_NOT_AVAILABLE'],
      [1, undefined],
    ]);
  });

  it('flattens log dirs and leaves unknown (-1) capacities out', () => {
    const b = map.toBrokerLogDirs(7, {
      throttleTimeMs: 0,
      errorCode: 0,
      results: [
        {
          errorCode: 0,
          logDir: '/a',
          totalBytes: 100,
          usableBytes: 40,
          topics: [
            { name: 't', partitions: [{ partition: 0, sizeBytes: 5, offsetLag: 0, isFuture: false }] },
          ],
        },
        { errorCode: 56, logDir: '/b', totalBytes: -1, usableBytes: -1, topics: [] },
      ],
    });
    expect(b).toEqual({
      brokerId: 7,
      logDirs: [
        {
          path: '/a',
          totalBytes: 100,
          usableBytes: 40,
          partitions: [{ topic: 't', partition: 0, sizeBytes: 5, offsetLag: 0, isFuture: false }],
        },
        { path: '/b', error: { code: 56, name: 'KAFKA_STORAGE_ERROR' }, partitions: [] },
      ],
    });
  });

  it.each([
    [1, 'dynamic-topic'],
    [2, 'dynamic-broker'],
    [3, 'dynamic-default-broker'],
    [4, 'static-broker'],
    [5, 'default'],
    [0, 'unknown'],
    [42, 'unknown'],
  ] as const)('names config source %i %s', (code, name) => {
    expect(map.configSourceName(code)).toBe(name);
  });

  it.each([
    [
      { type: 'broker' as const, name: '3' },
      { type: 4, name: '3' },
    ],
    [
      { type: 'broker-default' as const, name: 'ignored' },
      { type: 4, name: '' },
    ],
    [
      { type: 'topic' as const, name: 'orders' },
      { type: 2, name: 'orders' },
    ],
  ])('maps resource %j to Kafka %j', (res, want) => {
    expect(map.toResource(res.type, res.name)).toEqual(want);
  });

  it.each([
    [{ type: 'broker' as const, name: 'b-1' }, /needs a broker id/],
    [{ type: 'topic' as const, name: '' }, /needs a topic name/],
  ])('refuses resource %j before sending anything', (res, msg) => {
    expect(() => map.toResource(res.type, res.name)).toThrow(msg);
  });

  it('encodes ops and refuses a set without a value', () => {
    expect(
      map.toAlterResource({
        type: 'broker',
        name: '1',
        ops: [
          { name: 'a', op: 'set', value: '1' },
          { name: 'b', op: 'delete' },
          { name: 'c', op: 'append', value: 'x' },
        ],
      }),
    ).toEqual({
      type: 4,
      name: '1',
      configs: [
        { name: 'a', op: 0, value: '1' },
        { name: 'b', op: 1, value: null },
        { name: 'c', op: 2, value: 'x' },
      ],
    });
    expect(() => map.toAlterResource({ type: 'broker', name: '1', ops: [{ name: 'a', op: 'set' }] })).toThrow(
      /'set' needs a value/,
    );
  });

  it('treats ELECTION_NOT_NEEDED as an outcome and other codes as failures', () => {
    const r = map.toElectionResults({
      throttleTimeMs: 0,
      errorCode: 0,
      results: [
        {
          topic: 't',
          partitions: [
            { partition: 0, errorCode: 0, errorMessage: null },
            { partition: 1, errorCode: 84, errorMessage: null },
            { partition: 2, errorCode: 80, errorMessage: 'down' },
          ],
        },
      ],
    });
    expect(r).toEqual([
      { topic: 't', partition: 0, outcome: 'elected' },
      { topic: 't', partition: 1, outcome: 'not-needed' },
      {
        topic: 't',
        partition: 2,
        outcome: 'failed',
        error: { code: 80, name: 'PREFERRED_LEADER_NOT_AVAILABLE', message: 'down' },
      },
    ]);
  });

  it('groups requests by topic in first-seen order and keeps null (cancel) targets', () => {
    expect(
      map.toReassignmentTopics([
        { topic: 'b', partition: 1, replicas: [1, 2] },
        { topic: 'a', partition: 0, replicas: null },
        { topic: 'b', partition: 0, replicas: [3] },
      ]),
    ).toEqual([
      {
        name: 'b',
        partitions: [
          { partition: 1, replicas: [1, 2] },
          { partition: 0, replicas: [3] },
        ],
      },
      { name: 'a', partitions: [{ partition: 0, replicas: null }] },
    ]);
    expect(map.toElectionPartitions(undefined)).toBeNull();
  });
});
