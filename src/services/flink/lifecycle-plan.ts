import type { ApplicationSnapshot } from '../../domain/flink.js';
import type { RestartOption } from '../../healer/decide/decision.js';

/**
 * What `flink rollback` / `flink force-stop` would do, with every precondition checked and
 * explained before anything is asked or done (pure over the observed facts).
 */
export interface LifecyclePlan {
  app: string;
  action: 'rollback' | 'force-stop';
  allowed: boolean;
  /** Why not, when not allowed. */
  refusals: string[];
  /** What will happen, in words an operator reads at 3 a.m. */
  explanation: string[];
  status: string;
  currentVersionId?: number;
  latestSnapshot?: ApplicationSnapshot;
  /** After a force-stop: how to start again. */
  restartOptions?: RestartOption[];
  /** Self-managed Flink: the job to cancel, the previous jar and the savepoint to resubmit from. */
  selfManaged?: { jobId?: string; jarId?: string; savepointPath?: string };
}
