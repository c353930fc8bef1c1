/**
 * The rebalance executor: the only I/O of the rebalancer, over KafkaAdminPort. It drives the
 * persisted state machine of execution-state.ts (diagram there):
 *
 *   planned → checking → [throttling → moving (batch i)]* → verifying → clearing-throttles → done
 *                                     cancel ──> clearing-throttles → cancelled;  error ──> failed
 *
 * Rules that make it safe to kill at any instant:
 *   - the state is saved BEFORE each cluster change (throttle entries recorded before they are
 *     appended; a batch marked `submitting` before AlterPartitionReassignments), and after it;
 *   - resume (`checking`) reconciles the saved state with ListPartitionReassignments and the live
 *     replicas: completed moves are never re-submitted, in-flight ones are waited for, moves the
 *     request never reached are submitted; reassignments we did not start make it refuse;
 *   - throttles are cleared at the end, on cancel and, for entries no longer needed, on resume;
 *     only the entries this execution recorded are removed, broker rates are restored.
 */
import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import type { OngoingReassignment } from '../../probes/kafka-admin/port.js';
import { BatchWatcher, diverged, observeBatch } from './batch-watch.js';
import { type ExecBatch, type ExecutionState, type Phase, transition } from './execution-state.js';
import {
  Cancelled,
  DEFAULT_TUNING,
  type ExecEvent,
  type ExecutorDeps,
  type ExecutorTuning,
} from './executor-types.js';
import { interlockError, tpKey } from './interlocks.js';
import { LogDirMover } from './log-dir-moves.js';
import { observeMove } from './progress.js';
import { throttleNeeds } from './throttle-apply.js';
import { ThrottleIO } from './throttle-io.js';

export { DEFAULT_TUNING, type ExecEvent, type ExecutorDeps, type ExecutorTuning } from './executor-types.js';

/** Runs (or resumes) an execution to its end; returns the final state. */
export async function runExecution(
  initial: ExecutionState,
  deps: ExecutorDeps,
  tuning: Partial<ExecutorTuning> = {},
): Promise<ExecutionState> {
  return new Run(initial, deps, { ...DEFAULT_TUNING, ...tuning }).run();
}

/** Cancels an execution: reverts in-flight moves (replicas: null), clears throttles, marks it cancelled. */
export async function cancelExecution(
  initial: ExecutionState,
  deps: ExecutorDeps,
  tuning: Partial<ExecutorTuning> = {},
): Promise<ExecutionState> {
  return new Run(initial, deps, { ...DEFAULT_TUNING, ...tuning }).cancel();
}

class Run {
  private s: ExecutionState;
  private readonly emit: (e: ExecEvent) => void;
  private readonly throttles: ThrottleIO;
  private readonly watcher: BatchWatcher;
  private readonly dirs: LogDirMover;

  constructor(
    initial: ExecutionState,
    private readonly d: ExecutorDeps,
    private readonly t: ExecutorTuning,
  ) {
    this.s = initial;
    this.emit = d.emit ?? (() => undefined);
    // What the watcher, the log-dir mover and the throttle stage share: the cluster, the clock, the
    // tuning, the event stream and the cancel flag.
    const shared = {
      admin: d.admin,
      clock: d.clock,
      tuning: t,
      emit: (e: ExecEvent) => this.emit(e),
      ...(d.cancelRequested ? { cancelRequested: d.cancelRequested } : {}),
    };
    const persisted = { state: () => this.s, save: () => this.save() };
    this.watcher = new BatchWatcher({ ...shared, ...persisted });
    this.dirs = new LogDirMover({
      ...shared,
      ...persisted,
      throttleDirs: (brokers) => this.throttles.setForLogDirs(brokers),
    });
    this.throttles = new ThrottleIO({
      ...shared,
      record: () => this.s.throttles,
      commit: (r) => {
        this.s = { ...this.s, throttles: r };
        this.save();
      },
      warn: (m) => {
        this.s.warnings.push(m);
        this.save();
      },
    });
  }

  private save(): void {
    this.d.store.save(this.s);
  }

  private go(to: Phase, note?: string): void {
    const from = this.s.phase;
    this.s = transition(this.s, to, this.d.clock.now(), note);
    this.save();
    this.emit({
      type: 'phase',
      from,
      to,
      batch: this.s.currentBatch,
      ...(note === undefined ? {} : { note }),
    });
  }

  async run(): Promise<ExecutionState> {
    if (this.s.phase === 'done' || this.s.phase === 'cancelled') return this.s;
    try {
      if (this.s.phase === 'clearing-throttles' && this.s.ending) return await this.finish(this.s.ending);
      this.go('checking', this.s.phase === 'planned' ? undefined : `resume from ${this.s.phase}`);
      await this.reconcile();
      for (let i = this.s.currentBatch; i < this.s.batches.length; i++) {
        if (this.s.currentBatch !== i) {
          this.s = { ...this.s, currentBatch: i };
          this.save();
        }
        await this.runBatch(this.batch(i));
      }
      this.go('verifying');
      await this.verify();
      return await this.finish('done');
    } catch (e) {
      if (e instanceof Cancelled) return this.cancel();
      return this.fail(e);
    }
  }

  async cancel(): Promise<ExecutionState> {
    if (this.s.phase === 'done' || this.s.phase === 'cancelled') return this.s;
    try {
      const b = this.s.batches[this.s.currentBatch];
      const ours = new Set(
        (b?.status === 'submitting' || b?.status === 'submitted' ? b.moves : [])
          .filter((m) => m.status !== 'done')
          .map((m) => tpKey(m.topic, m.partition)),
      );
      const ongoing = ours.size ? await this.d.admin.listPartitionReassignments() : [];
      const revert = ongoing.filter((o) => ours.has(tpKey(o.topic, o.partition)) && this.isOurs(o));
      if (revert.length) {
        const res = await this.d.admin.alterPartitionReassignments(
          revert.map((o) => ({ topic: o.topic, partition: o.partition, replicas: null })),
        );
        const failed = res.filter((r) => r.error && r.error.name !== 'NO_REASSIGNMENT_IN_PROGRESS');
        if (failed.length)
          throw new StreamctlError(
            'KAFKA',
            `could not cancel ${failed.map((r) => `${tpKey(r.topic, r.partition)} (${r.error!.name})`).join(', ')}`,
            { exitCode: Sysexit.UNAVAILABLE },
          );
        const reverted = b!.moves.filter(
          (m) =>
            m.status !== 'done' && revert.some((o) => o.topic === m.topic && o.partition === m.partition),
        );
        for (const m of reverted) m.status = 'pending';
        this.save();
        this.emit({ type: 'reverted', partitions: revert.map((o) => tpKey(o.topic, o.partition)) });
        await this.restoreOrder(reverted);
      }
      return await this.finish('cancelled');
    } catch (e) {
      return this.fail(e);
    }
  }

  /**
   * Kafka's cancel (KRaft, 3.9 and 4.x) drops the adding replicas but does not restore the
   * original replica ORDER, so the preferred leader may change. Reorder-only reassignments (no
   * data moves, Kafka completes them at once) put the original order back, then the preferred
   * leaders are elected again.
   */
  private async restoreOrder(
    moves: Array<{ topic: string; partition: number; from: number[] }>,
  ): Promise<void> {
    // Metadata lags the controller for a moment: wait (briefly) until the reverted replica sets show.
    const live = new Map<string, number[]>();
    for (let attempt = 0; attempt < 10; attempt++) {
      const meta = await this.d.admin.topicMetadata([...new Set(moves.map((m) => m.topic))]);
      for (const t of meta) for (const p of t.partitions) live.set(tpKey(t.name, p.partition), p.replicas);
      const settled = moves.every((m) => live.get(tpKey(m.topic, m.partition))?.length === m.from.length);
      if (settled) break;
      await this.d.clock.sleep(Math.min(this.t.pollMs, 1000));
    }
    const reorder = moves.filter((m) => {
      const cur = live.get(tpKey(m.topic, m.partition));
      return (
        cur !== undefined &&
        cur.join(',') !== m.from.join(',') &&
        cur.length === m.from.length &&
        cur.every((x) => m.from.includes(x))
      );
    });
    if (reorder.length) {
      const res = await this.d.admin.alterPartitionReassignments(
        reorder.map((m) => ({ topic: m.topic, partition: m.partition, replicas: m.from })),
      );
      for (const r of res)
        if (r.error)
          this.s.warnings.push(
            `${tpKey(r.topic, r.partition)}: original replica order not restored (${r.error.name})`,
          );
    }
    const res = await this.d.admin.electLeaders({
      type: 'preferred',
      partitions: moves.map((m) => ({ topic: m.topic, partition: m.partition })),
    });
    const failed = res.filter((r) => r.outcome === 'failed').map((r) => tpKey(r.topic, r.partition));
    if (failed.length)
      this.s.warnings.push(
        `after cancel, preferred leader election failed for ${failed.join(', ')}: run it again later`,
      );
    this.save();
  }

  private batch(i: number): ExecBatch {
    return this.s.batches[i]!;
  }

  /** Whether an ongoing reassignment goes where one of the current batch's moves goes. */
  private isOurs(o: OngoingReassignment): boolean {
    const b = this.s.batches[this.s.currentBatch];
    const m = b?.moves.find((x) => x.topic === o.topic && x.partition === o.partition);
    return m !== undefined && observeMove(m, undefined, o).kind === 'in-flight';
  }

  /** Resume: the saved state against the cluster; foreign reassignments refuse; stale throttles go. */
  private async reconcile(): Promise<void> {
    const ongoing = await this.d.admin.listPartitionReassignments();
    const b = this.s.batches[this.s.currentBatch];
    const submitted = b && (b.status === 'submitting' || b.status === 'submitted');
    const foreign = ongoing.filter((o) => !(submitted && this.isOurs(o)));
    if (foreign.length) throw interlockError({ kind: 'foreign-reassignments', partitions: foreign });
    if (b && submitted) {
      const live = await observeBatch(this.d.admin, b);
      for (const m of b.moves) {
        if (m.status === 'done') continue;
        const k = tpKey(m.topic, m.partition);
        const o = observeMove(m, live.meta.get(k), live.ongoing.get(k));
        if (o.kind === 'diverged') throw diverged(k, o.detail);
        m.status =
          o.kind === 'done'
            ? 'done'
            : o.kind === 'in-flight' || o.kind === 'settling'
              ? 'in-flight'
              : 'pending';
      }
      this.save();
    }
    // Entries not needed by what is still moving in the current batch are stale: release them.
    const keep = throttleNeeds(b && submitted ? b.moves.filter((m) => m.status !== 'done') : []);
    const stale = { brokers: [], topics: new Map<string, { leader: string[]; follower: string[] }>() };
    for (const [topic, mine] of Object.entries(this.s.throttles.topics)) {
      const k = keep.topics.get(topic) ?? { leader: [], follower: [] };
      stale.topics.set(topic, {
        leader: mine.leader.filter((e) => !k.leader.includes(e)),
        follower: mine.follower.filter((e) => !k.follower.includes(e)),
      });
    }
    await this.throttles.release(stale);
  }

  /**
   * Before a batch starts, the world may have changed since the execution began: MSK intelligent
   * rebalancing turned on, or another tool started reassignments. Earlier batches are done, so
   * any reassignment in progress is someone else's. Either refuses (the execution fails,
   * resumable once the other party is done).
   */
  private async beforeBatch(): Promise<void> {
    await this.d.beforeBatch?.();
    const ongoing = await this.d.admin.listPartitionReassignments();
    if (ongoing.length) throw interlockError({ kind: 'foreign-reassignments', partitions: ongoing });
  }

  private async runBatch(b: ExecBatch): Promise<void> {
    if (b.status === 'done') return;
    if (b.status === 'pending') await this.beforeBatch();
    const pending = () => b.moves.filter((m) => m.status === 'pending');
    if (
      b.kind === 'replicas' &&
      this.s.throttles.rateBytesPerSec !== null &&
      b.moves.some((m) => m.status !== 'done')
    ) {
      this.go('throttling', `batch ${b.index + 1}/${this.s.batches.length}`);
      await this.throttles.setForBatch(b);
    }
    this.go('moving', `batch ${b.index + 1}/${this.s.batches.length}`);
    if (pending().length) {
      b.status = 'submitting';
      b.submittedAt ??= new Date(this.d.clock.now()).toISOString();
      this.save();
      const reqs = pending();
      // JBOD: destinations learn each new replica's planned dir first, so it is created there.
      await this.dirs.prefer(reqs);
      const res = await this.d.admin.alterPartitionReassignments(
        reqs.map((m) => ({ topic: m.topic, partition: m.partition, replicas: m.replicas })),
      );
      const bad = res.filter((r) => r.error);
      for (const m of reqs)
        if (!bad.some((r) => r.topic === m.topic && r.partition === m.partition)) m.status = 'in-flight';
      b.status = 'submitted';
      this.save();
      this.emit({
        type: 'submitted',
        batch: b.index,
        moves: reqs.length - bad.length,
        bytes: reqs.reduce((s, m) => s + m.bytes, 0),
      });
      if (bad.length) {
        throw new StreamctlError(
          'KAFKA',
          `Kafka refused ${bad.length} reassignment(s): ${bad.map((r) => `${tpKey(r.topic, r.partition)} (${r.error!.name}${r.error!.message ? `: ${r.error!.message}` : ''})`).join(', ')}`,
          {
            exitCode: Sysexit.UNAVAILABLE,
            hint: 'The others of the batch are in flight: `kafka rebalance cancel` reverts them, or fix the cause and run execute again.',
          },
        );
      }
    } else if (b.status === 'pending') {
      b.status = 'submitted';
      this.save();
    }
    await this.watcher.waitFor(b);
    b.status = 'done';
    b.completedAt = new Date(this.d.clock.now()).toISOString();
    this.save();
    await this.throttles.release(throttleNeeds(b.moves));
    this.emit({ type: 'batch-done', batch: b.index });
  }

  /**
   * Every replica with a planned log dir moved there and seen there (DescribeLogDirs); every
   * planned partition on its target list; preferred leaders elected so leadership follows.
   */
  private async verify(): Promise<void> {
    await this.dirs.run();
    const last = new Map<string, number[]>();
    for (const b of this.s.batches)
      for (const m of b.moves) last.set(tpKey(m.topic, m.partition), m.replicas);
    const tps = [
      ...new Map(
        [...this.s.batches.flatMap((b) => b.moves), ...this.s.alreadyInPlace.map((p) => ({ ...p }))].map(
          (m) => [tpKey(m.topic, m.partition), { topic: m.topic, partition: m.partition }],
        ),
      ).values(),
    ];
    if (!tps.length) return;
    const meta = await this.d.admin.topicMetadata([...new Set(tps.map((p) => p.topic))]);
    for (const t of meta) {
      for (const p of t.partitions) {
        const want = last.get(tpKey(t.name, p.partition));
        if (want && want.join(',') !== p.replicas.join(','))
          this.s.warnings.push(
            `${tpKey(t.name, p.partition)} ended on [${p.replicas.join(',')}], planned [${want.join(',')}]`,
          );
      }
    }
    const res = await this.d.admin.electLeaders({ type: 'preferred', partitions: tps });
    const election = {
      elected: res.filter((r) => r.outcome === 'elected').length,
      notNeeded: res.filter((r) => r.outcome === 'not-needed').length,
      failed: res
        .filter((r) => r.outcome === 'failed')
        .map((r) => `${tpKey(r.topic, r.partition)} (${r.error?.name ?? 'failed'})`),
    };
    if (election.failed.length)
      this.s.warnings.push(
        `preferred leader election failed for ${election.failed.join(', ')}: run it again later (kafka-leader-election.sh --election-type preferred)`,
      );
    this.s = { ...this.s, election };
    this.save();
    this.emit({ type: 'election', ...election });
  }

  /** clearing-throttles → ending. Never ends with our throttles set (ThrottleIO.clearAll). */
  private async finish(ending: 'done' | 'cancelled' | 'failed'): Promise<ExecutionState> {
    if (this.s.phase !== 'clearing-throttles' || this.s.ending !== ending) {
      this.s = { ...this.s, ending };
      this.go('clearing-throttles');
    }
    const total = await this.throttles.clearAll();
    this.emit({ type: 'throttles-cleared', changes: total });
    this.go(ending);
    return this.s;
  }

  private fail(e: unknown): ExecutionState {
    const err =
      e instanceof StreamctlError
        ? e
        : new StreamctlError('INTERNAL', (e as Error)?.message ?? String(e), { cause: e });
    if (this.s.phase !== 'failed' && this.s.phase !== 'done' && this.s.phase !== 'cancelled') {
      this.s = { ...this.s, error: err.message };
      this.go('failed', err.code);
    }
    throw err;
  }
}
