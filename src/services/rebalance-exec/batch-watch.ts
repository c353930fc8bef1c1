/**
 * Watching a submitted batch until its moves are done (part of the executor's I/O): polls
 * ListPartitionReassignments + Metadata, estimates bytes copied from the new replicas' log sizes
 * (DescribeLogDirs on the destinations, bounded in time), emits progress, and reports a stall
 * when nothing advances for stallMs. Moves are marked done in the state as they finish; a move
 * someone else changed fails the execution, naming it.
 */
import type { Clock } from '../../core/clock.js';
import { refused, type StreamctlError } from '../../core/errors.js';
import type { KafkaAdminPort, OngoingReassignment } from '../../probes/kafka-admin/port.js';
import type { ExecBatch, ExecutionState } from './execution-state.js';
import { Cancelled, type ExecEvent, type ExecutorTuning, within } from './executor-types.js';
import { tpKey } from './interlocks.js';
import { observeMove, ProgressTracker, progressFigures } from './progress.js';

/** Consecutive observations of a submitted move back at its source before it counts as cancelled. */
const NOT_STARTED_POLLS = 5;

/** What the watcher needs from the executor. */
export interface WatchContext {
  admin: KafkaAdminPort;
  clock: Clock;
  tuning: ExecutorTuning;
  emit(e: ExecEvent): void;
  cancelRequested?: () => boolean;
  state(): ExecutionState;
  save(): void;
}

/** One observation of a batch's partitions. */
export interface Observation {
  ongoing: Map<string, OngoingReassignment>;
  meta: Map<string, { replicas: number[]; isr: number[] }>;
}

/** Reads one batch's partitions: ongoing reassignments (the controller) and metadata (replicas, ISR). */
export async function observeBatch(admin: KafkaAdminPort, b: ExecBatch): Promise<Observation> {
  const tps = b.moves.map((m) => ({ topic: m.topic, partition: m.partition }));
  const [ongoingList, topics] = await Promise.all([
    admin.listPartitionReassignments(tps),
    admin.topicMetadata([...new Set(tps.map((x) => x.topic))]),
  ]);
  const ongoing = new Map(ongoingList.map((o) => [tpKey(o.topic, o.partition), o]));
  const meta = new Map<string, { replicas: number[]; isr: number[] }>();
  for (const t of topics)
    if (!t.error)
      for (const p of t.partitions)
        meta.set(tpKey(t.name, p.partition), { replicas: p.replicas, isr: p.isr });
  return { ongoing, meta };
}

/** A refusal naming a partition someone else moved during the execution. */
export function diverged(k: string, detail: string): StreamctlError {
  return refused(
    `${k} changed outside this execution: ${detail}`,
    'Inspect it (`kafka rebalance status`), then `kafka rebalance cancel`, and plan again.',
  );
}

/** Waits for batches. */
export class BatchWatcher {
  constructor(private readonly c: WatchContext) {}

  /** Reads one batch's partitions: ongoing reassignments and metadata (replicas, ISR). */
  private observe(b: ExecBatch) {
    return observeBatch(this.c.admin, b);
  }

  /** Bytes the in-flight moves' new replicas hold (their log sizes); unknown brokers are listed. */
  private async copied(b: ExecBatch): Promise<{ bytes: Map<string, number>; silent: number[] }> {
    const inflight = b.moves.filter((m) => m.status === 'in-flight' && m.adding.length);
    const dests = [...new Set(inflight.flatMap((m) => m.adding))].sort((x, y) => x - y);
    const bytes = new Map<string, number>();
    const silent: number[] = [];
    if (!dests.length) return { bytes, silent };
    const want = new Map(inflight.map((m) => [tpKey(m.topic, m.partition), m]));
    const res = await Promise.all(
      dests.map((id) =>
        within(this.c.tuning.observeTimeoutMs, this.c.admin.describeLogDirs([id])).catch(() => undefined),
      ),
    );
    res.forEach((r, i) => {
      const entry = r?.[0];
      if (!entry || entry.error) {
        silent.push(dests[i]!);
        return;
      }
      for (const d of entry.logDirs) {
        for (const p of d.partitions) {
          const k = tpKey(p.topic, p.partition);
          const m = want.get(k);
          if (m?.adding.includes(entry.brokerId)) bytes.set(k, (bytes.get(k) ?? 0) + p.sizeBytes);
        }
      }
    });
    return { bytes, silent };
  }

  /** Waits until every move of the batch is done, emitting progress and stalls; saves as moves finish. */
  async waitFor(b: ExecBatch): Promise<void> {
    const tracker = new ProgressTracker(30_000, this.c.tuning.stallMs);
    tracker.begin(this.c.clock.now());
    let stalled = false;
    let failures = 0;
    const unseen = new Map<string, number>();
    for (;;) {
      if (this.c.cancelRequested?.()) throw new Cancelled();
      let live: Observation;
      try {
        live = await within(this.c.tuning.observeTimeoutMs, this.observe(b));
        failures = 0;
      } catch (e) {
        if (++failures >= this.c.tuning.maxFailedPolls) throw e;
        this.c.emit({
          type: 'warning',
          message: `observation failed (${failures}/${this.c.tuning.maxFailedPolls}): ${(e as Error).message}`,
        });
        // A cluster that does not answer is not advancing either: the stall is reported all the same.
        stalled = this.stallCheck(b, tracker, stalled, undefined, []);
        await this.c.clock.sleep(this.c.tuning.pollMs);
        continue;
      }
      let changed = false;
      const caughtUp = new Set<string>();
      for (const m of b.moves) {
        if (m.status !== 'in-flight') continue;
        const k = tpKey(m.topic, m.partition);
        const o = observeMove(m, live.meta.get(k), live.ongoing.get(k));
        if (o.kind === 'done') {
          m.status = 'done';
          changed = true;
        } else if (o.kind === 'in-flight') {
          if (o.caughtUp) caughtUp.add(k);
        } else if (o.kind === 'not-started') {
          // Metadata lags the controller by a moment: only a move seen back at its source on
          // several consecutive observations was really cancelled by someone else.
          const n = (unseen.get(k) ?? 0) + 1;
          unseen.set(k, n);
          if (n >= NOT_STARTED_POLLS) throw diverged(k, 'its reassignment was cancelled outside streamctl');
        } else if (o.kind === 'diverged') throw diverged(k, o.detail);
        if (o.kind !== 'not-started') unseen.delete(k);
      }
      if (changed) this.c.save();
      const { bytes, silent } = await this.copied(b);
      const now = this.c.clock.now();
      const before = progressFigures(this.c.state(), bytes, caughtUp, null);
      const rate = tracker.record(now, before.bytesMoved, before.partitionsDone);
      this.c.emit({
        type: 'progress',
        figures: { ...progressFigures(this.c.state(), bytes, caughtUp, rate) },
      });
      if (b.moves.every((m) => m.status === 'done')) return;
      stalled = this.stallCheck(b, tracker, stalled, live.meta, silent);
      await this.c.clock.sleep(this.c.tuning.pollMs);
    }
  }

  /**
   * Emits `stall` once when nothing advanced for stallMs (naming the waiting partitions and the
   * brokers they wait on: new replicas not in the ISR, brokers that did not answer), and
   * `stall-over` when progress resumes. Returns the new stalled flag.
   */
  private stallCheck(
    b: ExecBatch,
    tracker: ProgressTracker,
    stalled: boolean,
    meta: Map<string, { isr: number[] }> | undefined,
    silent: number[],
  ): boolean {
    const now = this.c.clock.now();
    if (tracker.isStalled(now) && !stalled) {
      const waiting = b.moves.filter((m) => m.status === 'in-flight');
      const lagging = new Set<number>(silent);
      for (const m of waiting)
        for (const a of m.adding)
          if (!meta?.get(tpKey(m.topic, m.partition))?.isr.includes(a)) lagging.add(a);
      this.c.emit({
        type: 'stall',
        batch: b.index,
        stalledMs: tracker.stalledFor(now),
        partitions: waiting.map((m) => tpKey(m.topic, m.partition)),
        brokers: [...lagging].sort((x, y) => x - y),
      });
      return true;
    }
    if (stalled && !tracker.isStalled(now)) {
      this.c.emit({ type: 'stall-over', batch: b.index });
      return false;
    }
    return stalled;
  }
}
