/**
 * The log-dir (JBOD) part of an execution, in the same run as the inter-broker moves:
 *
 *   - before a batch's AlterPartitionReassignments, each replica it adds that the plan puts in an
 *     explicit dir is announced to its destination broker with AlterReplicaLogDirs: the broker
 *     records the dir (answering REPLICA_NOT_AVAILABLE, as the replica does not exist yet) and
 *     creates the replica there, so it is copied once, into the right dir;
 *   - after the last batch, every replica with an explicit dir that is not there yet is moved
 *     with AlterReplicaLogDirs (intra-broker moves, and any new replica created elsewhere), then
 *     DescribeLogDirs is polled until every one of them is in its planned dir with no future log
 *     left: that is the verification, and it is recorded per replica in the state.
 *
 * Everything here is idempotent (asking for the dir a replica is in, or already moving to, changes
 * nothing), so a resumed execution simply runs it again.
 */
import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import type { BrokerLogDirs, LogDirMoveRequest } from '../../probes/kafka-admin/port.js';
import type { WatchContext } from './batch-watch.js';
import type { ExecMove, ExecutionState } from './execution-state.js';
import { Cancelled, within } from './executor-types.js';

/** One replica's planned dir, as the state records it. */
export type DirTarget = NonNullable<ExecutionState['logDirs']>[number];

/** Where a replica stands against its planned dir. */
export type DirStatus = 'in-place' | 'moving' | 'elsewhere' | 'absent' | 'unknown';

/** Pure: each target's status in one DescribeLogDirs answer, and the bytes copied into future logs. */
export function dirStatuses(
  targets: readonly DirTarget[],
  described: readonly BrokerLogDirs[],
): { status: DirStatus[]; futureBytes: number } {
  const where = new Map<string, { current?: string; future?: string; futureBytes: number }>();
  const answered = new Set<number>();
  for (const b of described) {
    if (b.error) continue;
    answered.add(b.brokerId);
    for (const d of b.logDirs)
      for (const p of d.partitions) {
        const k = `${b.brokerId}\u0000${p.topic}\u0000${p.partition}`;
        const w = where.get(k) ?? { futureBytes: 0 };
        if (p.isFuture) {
          w.future = d.path;
          w.futureBytes = p.sizeBytes;
        } else w.current = d.path;
        where.set(k, w);
      }
  }
  let futureBytes = 0;
  const status = targets.map((t): DirStatus => {
    if (!answered.has(t.broker)) return 'unknown';
    const w = where.get(`${t.broker}\u0000${t.topic}\u0000${t.partition}`);
    if (!w?.current) return 'absent';
    if (w.current === t.dir && !w.future) return 'in-place';
    if (w.future === t.dir) {
      futureBytes += w.futureBytes;
      return 'moving';
    }
    return 'elsewhere';
  });
  return { status, futureBytes };
}

/** What the mover needs: the watcher's context, and how to throttle copies between dirs. */
export interface DirMoveContext extends WatchContext {
  /** Sets the intra-broker copy throttle on these brokers (recorded for clearing); none without a rate. */
  throttleDirs?: (brokers: number[]) => Promise<void>;
}

/** Runs the log-dir moves of an execution. */
export class LogDirMover {
  constructor(private readonly c: DirMoveContext) {}

  private targets(): DirTarget[] {
    return this.c.state().logDirs ?? [];
  }

  /** Announces the dirs of the replicas these moves add to their brokers (before submitting them). */
  async prefer(moves: readonly ExecMove[]): Promise<void> {
    const reqs: LogDirMoveRequest[] = [];
    for (const t of this.targets())
      if (
        moves.some((m) => m.topic === t.topic && m.partition === t.partition && m.adding.includes(t.broker))
      )
        reqs.push({ brokerId: t.broker, topic: t.topic, partition: t.partition, path: t.dir });
    if (!reqs.length) return;
    // Best effort: a replica created in another dir is moved by the dir phase (run) afterwards.
    const res = await this.c.admin.alterReplicaLogDirs(reqs).catch((e: unknown) => {
      this.c.emit({
        type: 'warning',
        message: `log dirs of the new replicas not announced (${(e as Error).message}); they are moved into place afterwards`,
      });
      return [];
    });
    for (const r of res)
      if (r.error && r.error.name !== 'REPLICA_NOT_AVAILABLE')
        this.c.emit({
          type: 'warning',
          message: `${r.topic}-${r.partition} on broker ${r.brokerId}: log dir ${r.path} not recorded before the move (${r.error.name}); it is moved there afterwards`,
        });
  }

  /**
   * Moves every replica with a planned dir there and waits until DescribeLogDirs shows each one
   * in place. Fails (resumable) when nothing advances for 10 × stallMs, or Kafka refuses a move.
   */
  async run(): Promise<void> {
    const targets = this.targets();
    if (!targets.length) return;
    const brokers = [...new Set(targets.map((t) => t.broker))].sort((a, b) => a - b);
    let lastProgress = this.c.clock.now();
    let signature = '';
    for (;;) {
      if (this.c.cancelRequested?.()) throw new Cancelled();
      const described = await within(this.c.tuning.observeTimeoutMs, this.c.admin.describeLogDirs(brokers));
      const { status, futureBytes } = dirStatuses(targets, described);
      this.record(status);
      const inPlace = status.filter((s) => s === 'in-place').length;
      const moving = status.filter((s) => s === 'moving').length;
      this.c.emit({ type: 'log-dirs', inPlace, moving, total: targets.length, futureBytes });
      if (inPlace === targets.length) return;
      await this.submit(targets.filter((_, i) => status[i] === 'elsewhere'));
      const now = this.c.clock.now();
      const sig = `${inPlace}/${moving}/${futureBytes}`;
      if (sig !== signature) {
        signature = sig;
        lastProgress = now;
      } else if (now - lastProgress >= 10 * this.c.tuning.stallMs) {
        throw stuck(
          targets.filter((_, i) => status[i] !== 'in-place'),
          status.filter((s) => s !== 'in-place'),
        );
      }
      await this.c.clock.sleep(this.c.tuning.pollMs);
    }
  }

  private async submit(elsewhere: DirTarget[]): Promise<void> {
    if (!elsewhere.length) return;
    // Copies between dirs compete with the brokers' disks like replication does: same rate.
    await this.c.throttleDirs?.([...new Set(elsewhere.map((t) => t.broker))].sort((a, b) => a - b));
    const res = await this.c.admin.alterReplicaLogDirs(
      elsewhere.map((t) => ({ brokerId: t.broker, topic: t.topic, partition: t.partition, path: t.dir })),
    );
    const bad = res.filter((r) => r.error && r.error.name !== 'REPLICA_NOT_AVAILABLE');
    if (bad.length)
      throw new StreamctlError(
        'KAFKA',
        `Kafka refused to move ${bad.length} replica(s) between log dirs: ${bad
          .slice(0, 10)
          .map((r) => `${r.topic}-${r.partition} on ${r.brokerId} → ${r.path} (${r.error!.name})`)
          .join(', ')}`,
        {
          exitCode: Sysexit.UNAVAILABLE,
          hint: 'Fix the cause (an offline log dir, a full disk) and run execute again: it resumes here.',
        },
      );
  }

  /** Records which targets are in place (saved only when that changes). */
  private record(status: DirStatus[]): void {
    const s = this.c.state();
    let changed = false;
    s.logDirs?.forEach((t, i) => {
      const done = status[i] === 'in-place';
      if (t.inPlace !== done) {
        t.inPlace = done;
        changed = true;
      }
    });
    if (changed) this.c.save();
  }
}

function stuck(targets: DirTarget[], status: DirStatus[]): StreamctlError {
  const list = targets
    .slice(0, 10)
    .map((t, i) => `${t.topic}-${t.partition} on ${t.broker} → ${t.dir} (${status[i]})`)
    .join(', ');
  return new StreamctlError('TEMPFAIL', `log-dir moves made no progress: ${list}`, {
    exitCode: Sysexit.TEMPFAIL,
    hint: 'Check the brokers named (DescribeLogDirs, their logs); run execute again to resume.',
  });
}
