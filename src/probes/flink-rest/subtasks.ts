/**
 * Pure verdict on a job's subtasks, for the subtask poller and the healer's verify step. AWS advises
 * polling Flink REST right after an operation "to see all subtasks RUNNING, or any FAILING/CANCELED"
 * (docs/design.md §2); this is that check, with the reason spelled out for the journal.
 *
 *   no job ──▶ 'no-job'
 *   job FAILING/FAILED/CANCELLING/CANCELED/RESTARTING/FINISHED, or any subtask FAILED/CANCELED/CANCELING ──▶ 'failed'
 *   job not yet RUNNING, or any subtask CREATED/SCHEDULED/DEPLOYING/INITIALIZING/RECONCILING, or none yet ──▶ 'in-progress'
 *   otherwise (every subtask RUNNING; FINISHED ones of bounded branches allowed) ──▶ 'all-running'
 */
import type { ExecutionState, JobView, SubtaskCounts } from '../../domain/flink.js';
import { totalSubtasks } from './map.js';

/** The verdict; `reason` is one sentence for humans and the journal. */
export interface SubtaskEvaluation {
  kind: 'all-running' | 'failed' | 'in-progress' | 'no-job';
  counts: SubtaskCounts;
  reason: string;
}

const FAILED_JOB_STATES = new Set(['FAILING', 'FAILED', 'CANCELLING', 'CANCELED', 'RESTARTING', 'FINISHED']);
const FAILED_SUBTASK_STATES: readonly ExecutionState[] = ['FAILED', 'CANCELED', 'CANCELING'];
const PENDING_SUBTASK_STATES: readonly ExecutionState[] = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'INITIALIZING',
  'RECONCILING',
];

function describe(counts: SubtaskCounts, states: readonly ExecutionState[]): string {
  return states
    .filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

/** Evaluates a job (undefined = the application has no job) from its /jobs/:id view. */
export function evaluateSubtasks(job: JobView | undefined): SubtaskEvaluation {
  if (!job) return { kind: 'no-job', counts: {}, reason: 'no Flink job is running' };
  const counts = job.subtasks;
  const total = totalSubtasks(counts);
  const failed = describe(counts, FAILED_SUBTASK_STATES);
  if (FAILED_JOB_STATES.has(job.state)) {
    return {
      kind: 'failed',
      counts,
      reason: `job is ${job.state}${failed ? ` (${failed} of ${total} subtasks)` : ''}`,
    };
  }
  if (failed) return { kind: 'failed', counts, reason: `${failed} of ${total} subtasks` };
  const pending = describe(counts, PENDING_SUBTASK_STATES);
  if (job.state !== 'RUNNING' || pending || total === 0) {
    return {
      kind: 'in-progress',
      counts,
      reason: `job is ${job.state}${pending ? `, ${pending} of ${total} subtasks` : total === 0 ? ', no subtasks yet' : ''}`,
    };
  }
  const running = counts.RUNNING ?? 0;
  if (running === 0)
    return { kind: 'in-progress', counts, reason: `job is RUNNING but none of ${total} subtasks is` };
  const finished = counts.FINISHED ?? 0;
  return {
    kind: 'all-running',
    counts,
    reason: `all ${running} subtasks RUNNING${finished ? ` (${finished} FINISHED)` : ''}`,
  };
}
