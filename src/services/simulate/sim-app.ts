/**
 * One simulated application of `healer simulate`: status history, versions, operations,
 * snapshots, restarts (scripted bursts and lazily generated loops) and counter resets.
 */
import type { ApplicationOperation, ApplicationSnapshot } from '../../domain/flink.js';

export interface LoopGen {
  from: number;
  every: number;
  /** When it stops: by itself (`until`) or because an action ended it. */
  endsAt: number;
  cause: 'user' | 'system';
  exception: string;
  /** Only the main app's scenario loops count for ground truth. */
  truth: boolean;
}

export interface Restart {
  t: number;
  cause: 'user' | 'system' | 'maintenance';
  text: string;
}

export const MAINTENANCE_TEXT =
  'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy\nCaused by: org.apache.flink.runtime.execution.CancelTaskException: Task was cancelled during platform maintenance (TaskManager restarted by the service)';

/** One simulated application. */
export class SimApp {
  readonly name: string;
  readonly runtime: string;
  readonly kind: 'managed' | 'self-managed';
  status: string;
  versionId: number;
  readonly statusLog: { t: number; status: string }[] = [];
  readonly operations: ApplicationOperation[] = [];
  readonly snapshots: ApplicationSnapshot[] = [];
  readonly resets: number[] = [];
  readonly loops: LoopGen[] = [];
  readonly explicitRestarts: Restart[] = [];
  readonly pending: { t: number; apply: () => void }[] = [];
  /** CheckpointConfiguration.CheckpointInterval as DescribeApplication reports it. */
  checkpointIntervalMs = 60_000;
  tags: Record<string, string>;
  snapshotsEnabled: boolean;
  checkpointing: boolean;
  checkpointsStopAt = Number.POSITIVE_INFINITY;
  parallelism: number;
  maintenance: { from: number; to: number }[] = [];
  private opSeq = 0;

  constructor(init: {
    name: string;
    runtime: string;
    kind: 'managed' | 'self-managed';
    status: string;
    versionId: number;
    snapshots: number;
    snapshotsEnabled: boolean;
    checkpointing: boolean;
    parallelism: number;
    tags: Record<string, string>;
  }) {
    this.name = init.name;
    this.runtime = init.runtime;
    this.kind = init.kind;
    this.status = init.status;
    this.versionId = init.versionId;
    this.tags = init.tags;
    this.snapshotsEnabled = init.snapshotsEnabled;
    this.checkpointing = init.checkpointing;
    this.parallelism = init.parallelism;
    this.statusLog.push({ t: 0, status: init.status });
    for (let i = init.snapshots; i >= 1; i--) {
      this.snapshots.push({
        name: `${init.name}-snap-${i}`,
        status: 'READY',
        versionId: init.versionId,
        createTime: new Date(-i * 3_600_000).toISOString(),
      });
    }
  }

  setStatus(t: number, status: string): void {
    this.status = status;
    this.statusLog.push({ t, status });
  }

  statusAt(t: number): string {
    let s = this.statusLog[0]!.status;
    for (const e of this.statusLog) if (e.t <= t) s = e.status;
    return s;
  }

  addOperation(op: Omit<ApplicationOperation, 'operationId'>): ApplicationOperation {
    const full = { operationId: `${this.name}-op-${++this.opSeq}`, ...op };
    this.operations.push(full);
    return full;
  }

  /** Every restart up to `t` (loops generated lazily), sorted. */
  restartsUntil(t: number): Restart[] {
    const out: Restart[] = this.explicitRestarts.filter((r) => r.t <= t);
    for (const l of this.loops) {
      for (let r = l.from; r <= t && r < l.endsAt; r += l.every)
        out.push({ t: r, cause: l.cause, text: l.exception });
    }
    return out.sort((a, b) => a.t - b.t);
  }

  /** The restart counter at `t`: restarts since the last reset at or before `t`. */
  counterAt(t: number, restarts: Restart[]): number {
    let reset = Number.NEGATIVE_INFINITY;
    for (const r of this.resets) if (r <= t && r > reset) reset = r;
    let n = 0;
    for (const r of restarts) if (r.t > reset && r.t <= t) n++;
    return n;
  }

  /** The loop active at `t`, if any. */
  activeLoop(t: number): LoopGen | undefined {
    return this.loops.find((l) => l.from <= t && t < l.endsAt);
  }

  inMaintenance(t: number): boolean {
    return this.maintenance.some((m) => m.from <= t && t <= m.to);
  }

  /** Runs scheduled state changes due by `t`. */
  advanceTo(t: number): void {
    this.pending.sort((a, b) => a.t - b.t);
    while (this.pending.length > 0 && this.pending[0]!.t <= t) this.pending.shift()!.apply();
  }

  schedule(t: number, apply: () => void): void {
    this.pending.push({ t, apply });
  }
}
