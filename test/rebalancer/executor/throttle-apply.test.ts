import { describe, expect, it } from 'vitest';
import type { ConfigResult } from '../../../src/probes/kafka-admin/port.js';
import {
  emptyThrottleRecord,
  hasThrottles,
  throttleClearPlan,
  throttleNeeds,
  throttleReleasePlan,
  throttleSetPlan,
} from '../../../src/services/rebalance-exec/throttle-apply.js';

const moves = [
  { topic: 't', partition: 0, from: [1, 2, 3], adding: [4], replicas: [4, 2, 3] },
  { topic: 't', partition: 1, from: [2, 3, 1], adding: [4], replicas: [2, 3, 4] },
  { topic: 'u', partition: 0, from: [1, 2, 3], adding: [], replicas: [2, 1, 3] }, // leader only
];
const topicCfg = (name: string, leader?: string): ConfigResult => ({
  type: 'topic',
  name,
  entries:
    leader === undefined
      ? []
      : [
          {
            name: 'leader.replication.throttled.replicas',
            value: leader,
            source: 'dynamic-topic',
            readOnly: false,
            sensitive: false,
          },
        ],
});

describe('replication throttles of a batch', () => {
  it('throttles the sources as leader replicas and the destinations as follower replicas; leader-only moves need none', () => {
    const n = throttleNeeds(moves);
    expect(n.brokers).toEqual([1, 2, 3, 4]);
    expect([...n.topics.keys()]).toEqual(['t']);
    expect(n.topics.get('t')).toEqual({
      leader: ['0:1', '0:2', '0:3', '1:2', '1:3', '1:1'],
      follower: ['0:4', '1:4'],
    });
  });

  it('sets both rates on every broker involved and appends only the entries', () => {
    const { record, changes } = throttleSetPlan(
      emptyThrottleRecord(50e6),
      throttleNeeds(moves),
      [],
      [topicCfg('t')],
    );
    expect(changes.filter((c) => c.type === 'broker').map((c) => c.name)).toEqual(['1', '2', '3', '4']);
    expect(changes[0]!.ops).toEqual([
      { name: 'leader.replication.throttled.rate', op: 'set', value: '50000000' },
      { name: 'follower.replication.throttled.rate', op: 'set', value: '50000000' },
    ]);
    expect(changes.find((c) => c.type === 'topic')!.ops).toEqual([
      { name: 'leader.replication.throttled.replicas', op: 'append', value: '0:1,0:2,0:3,1:2,1:3,1:1' },
      { name: 'follower.replication.throttled.replicas', op: 'append', value: '0:4,1:4' },
    ]);
    expect(record.brokers['4']).toEqual({ leader: null, follower: null });
  });

  it("leaves out entries someone else already set, and a topic throttled with '*'", () => {
    const a = throttleSetPlan(emptyThrottleRecord(1), throttleNeeds(moves), [], [topicCfg('t', '0:1,9:9')]);
    expect(a.record.topics.t!.leader).not.toContain('0:1');
    const b = throttleSetPlan(emptyThrottleRecord(1), throttleNeeds(moves), [], [topicCfg('t', '*')]);
    expect(b.record.topics.t!.leader).toEqual([]);
  });

  it("records a broker's own dynamic rate to restore it, but not a cluster default", () => {
    const cfg: ConfigResult = {
      type: 'broker',
      name: '1',
      entries: [
        {
          name: 'leader.replication.throttled.rate',
          value: '777',
          source: 'dynamic-broker',
          readOnly: false,
          sensitive: false,
        },
        {
          name: 'follower.replication.throttled.rate',
          value: '888',
          source: 'dynamic-default-broker',
          readOnly: false,
          sensitive: false,
        },
      ],
    };
    const { record } = throttleSetPlan(emptyThrottleRecord(1), throttleNeeds(moves), [cfg], []);
    expect(record.brokers['1']).toEqual({ leader: '777', follower: null });
    const clear = throttleClearPlan(record);
    expect(clear.find((c) => c.name === '1')!.ops).toEqual([
      { name: 'leader.replication.throttled.rate', op: 'set', value: '777' },
      { name: 'follower.replication.throttled.rate', op: 'delete' },
    ]);
  });

  it('a second batch appends only what is new; release removes one batch, clear removes everything', () => {
    const first = throttleSetPlan(emptyThrottleRecord(1), throttleNeeds([moves[0]!]), [], []);
    const second = throttleSetPlan(first.record, throttleNeeds([moves[1]!]), [], []);
    expect(second.changes.find((c) => c.type === 'topic')!.ops[0]!.value).toBe('1:2,1:3,1:1');
    const released = throttleReleasePlan(second.record, throttleNeeds([moves[0]!]));
    expect(released.changes[0]!.ops).toEqual([
      { name: 'leader.replication.throttled.replicas', op: 'subtract', value: '0:1,0:2,0:3' },
      { name: 'follower.replication.throttled.replicas', op: 'subtract', value: '0:4' },
    ]);
    expect(released.record.topics.t).toEqual({ leader: ['1:2', '1:3', '1:1'], follower: ['1:4'] });
    expect(hasThrottles(released.record)).toBe(true);
    expect(throttleClearPlan(released.record).map((c) => `${c.type}:${c.name}`)).toEqual([
      'topic:t',
      'broker:1',
      'broker:2',
      'broker:3',
      'broker:4',
    ]);
  });

  it('without a rate nothing is set', () => {
    expect(throttleSetPlan(emptyThrottleRecord(null), throttleNeeds(moves), [], []).changes).toEqual([]);
  });
});
