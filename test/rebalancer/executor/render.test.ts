import { describe, expect, it } from 'vitest';
import type { ExecEvent } from '../../../src/services/rebalance-exec/executor.js';
import { renderDryRun, renderEvent, renderSummary } from '../../../src/services/rebalance-render.js';
import { dryRunBatches, summarize } from '../../../src/services/rebalance-summary.js';
import { FakeKafkaAdmin } from '../../fakes/kafka-admin/fake.js';
import { prepare, scaleOut } from './helpers.js';

describe('rebalance rendering', () => {
  it('the dry run lists every batch, its moves and the exact throttle configs', async () => {
    const state = await prepare(FakeKafkaAdmin.fromSnapshot(scaleOut()), { maxPerBroker: 2 }, 50_000_000);
    const batches = dryRunBatches(state);
    const text = renderDryRun(summarize(state, 'state.json'), batches);
    expect(text).toMatch(
      /^dry run: 5 partition\(s\) in \d+ batch\(es\), .* at 50 MB\/s; nothing was changed/,
    );
    expect(text).toContain('orders-0');
    expect(text).toContain(
      'throttle broker 4: leader.replication.throttled.rate set 50000000; follower.replication.throttled.rate set 50000000',
    );
    expect(text).toMatch(
      /throttle topic orders: leader\.replication\.throttled\.replicas append [0-9:,]+; follower\.replication\.throttled\.replicas append/,
    );
    // Leader-only batches copy nothing and set no throttle.
    expect(batches.filter((b) => b.kind === 'leaders').every((b) => b.throttleConfigs.length === 0)).toBe(
      true,
    );
  });

  it.each<[ExecEvent, RegExp, boolean]>([
    [
      {
        type: 'progress',
        figures: {
          batch: 1,
          batches: 3,
          partitionsTotal: 10,
          partitionsDone: 4,
          partitionsInFlight: 2,
          partitionsCaughtUp: 1,
          bytesTotal: 2e6,
          bytesMoved: 1e6,
          batchBytesTotal: 1e6,
          batchBytesMoved: 5e5,
          rateBytesPerSec: 1e5,
          etaMs: 10_000,
        },
      },
      /batch 1\/3 .*4\/10 done, 2 in flight .*50\.0%.*ETA/,
      true,
    ],
    [
      { type: 'stall', batch: 0, stalledMs: 60_000, partitions: ['t-1'], brokers: [3] },
      /STALLED: batch 1 .* t-1; waiting on broker\(s\) 3/,
      false,
    ],
    [
      { type: 'reverted', partitions: ['t-1', 't-2'] },
      /reverted in-flight reassignment\(s\): t-1, t-2/,
      false,
    ],
  ])('event %#', (e, re, transient) => {
    const r = renderEvent(e);
    expect(r.text).toMatch(re);
    expect(r.transient).toBe(transient);
  });

  it('a summary says what is still throttled', async () => {
    const state = await prepare(FakeKafkaAdmin.fromSnapshot(scaleOut()));
    const s = summarize(
      {
        ...state,
        throttles: { rateBytesPerSec: 1, brokers: { '4': { leader: null, follower: null } }, topics: {} },
      },
      'state.json',
    );
    expect(renderSummary(s)).toContain('still set: brokers 4, no topics');
  });
});
