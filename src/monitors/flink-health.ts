import { type Finding, type Severity, worst } from '../core/severity.js';
import type { ApplicationOperation } from '../domain/flink.js';
import type { RestartAssessment } from '../healer/detect/restart-loop.js';
import { type AppStory, counterStory, storyFinding } from './flink-story.js';

/**
 * The one health verdict of `flink status` (pure): application status, job state, subtasks,
 * the restart-loop assessment, the last checkpoint and the last operation. Anything that could
 * not be read is UNKNOWN — never OK.
 */
export interface FlinkStatusInput {
  app: string;
  kind: 'managed' | 'self-managed';
  /** MSF ApplicationStatus, or undefined for self-managed. */
  status?: string;
  jobState?: string;
  /** Subtask verdict from one REST look: undefined when the REST API could not be read. */
  subtasks?: { kind: 'all-running' | 'failed' | 'in-progress' | 'no-job'; reason: string };
  restUnavailable?: string;
  restarts: RestartAssessment;
  /** The restarts read with the healer's journal; when given, it replaces the bare loop verdict. */
  story?: AppStory;
  lastCheckpointAt?: number;
  /** Epoch ms the job has been running since (checkpoint grace). */
  runningSince?: number;
  lastOperation?: ApplicationOperation;
  now: number;
  /** No completed checkpoint for this long is a WARNING (default 15 min). */
  checkpointStaleMs?: number;
}

const TRANSITIONAL = new Set([
  'STARTING',
  'UPDATING',
  'AUTOSCALING',
  'ROLLING_BACK',
  'STOPPING',
  'FORCE_STOPPING',
  'MAINTENANCE',
]);

export function evaluateFlinkStatus(i: FlinkStatusInput): { severity: Severity; findings: Finding[] } {
  const f: Finding[] = [];
  const subject = i.app;
  if (i.status !== undefined) {
    if (TRANSITIONAL.has(i.status))
      f.push({
        severity: 'WARNING',
        code: 'flink.transitional',
        subject,
        message: `application is ${i.status}`,
      });
    else if (i.status === 'READY' || i.status === 'ROLLED_BACK')
      f.push({
        severity: 'WARNING',
        code: 'flink.not-running',
        subject,
        message: `application is ${i.status} (not running)`,
        advice: 'Start it if it should be processing (StartApplication).',
      });
    else if (i.status !== 'RUNNING')
      f.push({
        severity: 'UNKNOWN',
        code: 'flink.status-unknown',
        subject,
        message: `application status ${i.status}`,
      });
  }
  if (i.subtasks?.kind === 'failed')
    f.push({
      severity: 'CRITICAL',
      code: 'flink.subtasks-failed',
      subject,
      message: i.subtasks.reason,
      advice: `streamctl flink exceptions ${i.app}`,
    });
  else if (i.subtasks?.kind === 'in-progress')
    f.push({ severity: 'WARNING', code: 'flink.subtasks-pending', subject, message: i.subtasks.reason });
  else if (i.subtasks?.kind === 'no-job' && (i.status === 'RUNNING' || i.kind === 'self-managed'))
    f.push({ severity: 'CRITICAL', code: 'flink.no-job', subject, message: i.subtasks.reason });
  else if (!i.subtasks && i.restUnavailable && (i.status === undefined || i.status === 'RUNNING'))
    f.push({ severity: 'UNKNOWN', code: 'flink.rest-unavailable', subject, message: i.restUnavailable });

  const restarts = storyFinding(i.story ?? counterStory(i.app, i.restarts), subject);
  if (restarts) f.push(restarts);

  const stale = i.checkpointStaleMs ?? 15 * 60_000;
  if ((i.status === undefined || i.status === 'RUNNING') && i.jobState === 'RUNNING') {
    const since = i.lastCheckpointAt ?? i.runningSince;
    if (since !== undefined && i.now - since > stale) {
      f.push({
        severity: 'WARNING',
        code: 'flink.checkpoint-stale',
        subject,
        message: `no completed checkpoint for ${Math.round((i.now - since) / 60_000)} min`,
        advice: 'Check checkpoint failures (streamctl flink status --json → checkpoints) and backpressure.',
      });
    }
  }
  if (i.lastOperation?.status === 'FAILED') {
    const ended = Date.parse(i.lastOperation.endTime ?? i.lastOperation.startTime ?? '');
    if (!Number.isFinite(ended) || i.now - ended < 24 * 3_600_000) {
      f.push({
        severity: 'WARNING',
        code: 'flink.operation-failed',
        subject,
        message: `last operation ${i.lastOperation.operation} FAILED${i.lastOperation.errorString ? `: ${i.lastOperation.errorString}` : ''}`,
        advice: `streamctl flink operations ${i.app} --id ${i.lastOperation.operationId}`,
      });
    }
  }
  return { severity: worst(...f.map((x) => x.severity)), findings: f };
}
