import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ExecEvent } from '../../src/services/rebalance-exec/executor.js';
import type { ProgressFigures } from '../../src/services/rebalance-exec/progress.js';
import {
  createEventHub,
  initialExecView,
  LOG_LINES,
  reduceExecView,
} from '../../src/ui/rebalance/exec-model.js';
import { bar, ExecView } from '../../src/ui/rebalance/exec-view.js';
import { frameMatching } from './helpers.js';

const G = 2 ** 30;
const figures = (over: Partial<ProgressFigures> = {}): ProgressFigures => ({
  batch: 2,
  batches: 5,
  partitionsTotal: 10,
  partitionsDone: 3,
  partitionsInFlight: 2,
  partitionsCaughtUp: 1,
  bytesTotal: 10 * G,
  bytesMoved: 4 * G,
  batchBytesTotal: 2 * G,
  batchBytesMoved: 1.5 * G,
  rateBytesPerSec: 48e6,
  etaMs: 125_000,
  throttleBytesPerSec: 50e6,
  current: [
    { partition: 'orders-3', status: 'in-flight', bytes: G, moved: 0.9 * G, caughtUp: true },
    { partition: 'orders-7', status: 'in-flight', bytes: 0.6 * G, moved: 0.3 * G, caughtUp: false },
    { partition: 'payments-0', status: 'done', bytes: 0.4 * G, moved: 0.4 * G, caughtUp: false },
  ],
  ...over,
});

/** The live execution view (ink), fed the executor's events through the hub. */
describe('kafka rebalance execute: the live view', () => {
  it('shows the batch and overall bars, bytes remaining, throttle, rate, ETA and the current partitions', async () => {
    const hub = createEventHub();
    hub.publish({ type: 'phase', from: 'checking', to: 'throttling', batch: 1 });
    const { lastFrame, unmount } = render(<ExecView cluster="prod" hub={hub} />);
    // Events published before the view mounted are replayed.
    await frameMatching(lastFrame, /rebalance prod · throttling/);
    hub.publish({ type: 'progress', figures: figures() });
    const f = await frameMatching(lastFrame, /current batch/);
    expect(f).toMatch(/batch 2\/5 +█+░+ +75\.0% 1\.5 GiB \/ 2\.0 GiB/);
    expect(f).toMatch(/overall +█+░+ +40\.0% 4\.0 GiB moved, 6\.0 GiB remaining/);
    expect(f).toMatch(/throttle 50 MB\/s · rate 48 MB\/s · ETA 2m ?5s/);
    expect(f).toMatch(/partitions 3\/10 done · 2 in flight \(1 in ISR\)/);
    expect(f).toMatch(/orders-3 +█+░* +90\.0% .* in ISR/);
    expect(f).toMatch(/orders-7 .* 50\.0% .* in-flight/);
    expect(f).toMatch(/payments-0 .* 100\.0% .* done/);
    unmount();
  });

  it('a stall shows in red until the batch moves again; permanent events scroll under the figures', async () => {
    const hub = createEventHub();
    const { lastFrame, unmount } = render(<ExecView cluster="prod" hub={hub} />);
    hub.publish({ type: 'progress', figures: figures({ rateBytesPerSec: null, etaMs: null }) });
    await frameMatching(lastFrame, /rate … · ETA …/);
    hub.publish({ type: 'stall', batch: 1, stalledMs: 60_000, partitions: ['orders-7'], brokers: [4] });
    await frameMatching(lastFrame, /STALLED 1m.*orders-7; waiting on broker\(s\) 4/);
    hub.publish({ type: 'stall-over', batch: 1 });
    const f = await frameMatching(lastFrame, /batch 2: moving again/);
    expect(f).not.toMatch(/STALLED 1m/);
    unmount();
  });

  it('keeps the last LOG_LINES permanent events, and progress lines never enter the log', () => {
    let s = initialExecView;
    const events: ExecEvent[] = [
      ...Array.from({ length: 10 }, (_, i): ExecEvent => ({ type: 'batch-done', batch: i })),
      { type: 'progress', figures: figures() },
    ];
    for (const e of events) s = reduceExecView(s, e);
    expect(s.log).toHaveLength(LOG_LINES);
    expect(s.log.at(-1)).toBe('batch 10 done');
    expect(s.figures?.batch).toBe(2);
  });

  it('bars clamp to 0–100 % and an empty batch reads as complete', () => {
    expect(bar(0, 10, 4)).toBe('░░░░   0.0%');
    expect(bar(15, 10, 4)).toBe('████ 100.0%');
    expect(bar(0, 0, 4)).toBe('████ 100.0%');
  });
});
