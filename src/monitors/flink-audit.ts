import type { Finding } from '../core/severity.js';
import type { ApplicationSnapshot, FlinkApplicationInfo } from '../domain/flink.js';

/**
 * `streamctl flink audit` (pure): an application against the recommendations of the MSF
 * lifecycle guidance and the seeds — snapshots enabled (or a rollback and a stop lose state),
 * system rollback enabled, recent scheduled snapshots, a supported runtime, checkpointing on,
 * a metrics level that is neither blind nor costly, and logging to CloudWatch (the healer's
 * first-failure classification and the subtask transition query read it).
 */
export interface AuditInput {
  app: FlinkApplicationInfo;
  snapshots?: ApplicationSnapshot[];
  /** Whether CloudWatch logging is configured (MSF); undefined when unknown/self-managed. */
  logging?: boolean;
  now: number;
}

export interface AuditThresholds {
  /** The newest READY snapshot should be younger than this (default 24 h). */
  maxSnapshotAgeMs: number;
}

export const DEFAULT_AUDIT: AuditThresholds = { maxSnapshotAgeMs: 24 * 3_600_000 };

/**
 * MSF runtimes by support state. End of support for 1.6/1.8/1.11/1.13 has been announced by AWS;
 * 1.15 is the oldest still supported; 1.18+ and 2.x are current.
 */
export function runtimeSupport(runtime: string | undefined): 'current' | 'old' | 'unsupported' | 'unknown' {
  const m = /^FLINK-(\d+)_(\d+)$/.exec(runtime ?? '');
  if (!m) return 'unknown';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major >= 2 || (major === 1 && minor >= 18)) return 'current';
  if (major === 1 && minor >= 15) return 'old';
  return 'unsupported';
}

/** Every finding of the audit: MSF configuration, runtime support, checkpointing, metrics level. */
export function auditApplication(input: AuditInput, th: AuditThresholds = DEFAULT_AUDIT): Finding[] {
  const { app } = input;
  return [
    ...(app.kind === 'managed' ? managedFindings(input, th) : []),
    ...runtimeFindings(app),
    ...configFindings(app),
  ];
}

/** MSF only: snapshots, system rollback, the newest snapshot's age, CloudWatch logging. */
function managedFindings(input: AuditInput, th: AuditThresholds): Finding[] {
  const { app } = input;
  const subject = app.name;
  const f: Finding[] = [];
  if (app.snapshotsEnabled === false) {
    f.push({
      severity: 'CRITICAL',
      code: 'audit.snapshots-disabled',
      subject,
      message:
        'application snapshots are disabled: an update, a stop or a rollback cannot carry state, and RollbackApplication is impossible',
      advice: 'Enable snapshots (ApplicationSnapshotConfiguration.SnapshotsEnabled = true).',
    });
  }
  if (app.systemRollbackEnabled === false) {
    f.push({
      severity: 'WARNING',
      code: 'audit.system-rollback-disabled',
      subject,
      message: 'system rollback is disabled: a failed update or scale operation leaves the application down',
      advice:
        'Enable ApplicationSystemRollbackConfiguration.RollbackEnabled (it covers failed operations; streamctl healer covers loops after RUNNING).',
    });
  }
  if (app.snapshotsEnabled !== false && input.snapshots) f.push(...snapshotAgeFindings(input, th));
  if (input.logging === false) {
    f.push({
      severity: 'WARNING',
      code: 'audit.no-logging',
      subject,
      message: 'CloudWatch logging is not configured: failures cannot be diagnosed after the fact',
      advice:
        'Add a CloudWatch logging option (log level INFO) so that streamctl can find the first failure of a loop.',
    });
  }
  return f;
}

/** No READY snapshot, or the newest one older than the threshold. */
function snapshotAgeFindings(input: AuditInput, th: AuditThresholds): Finding[] {
  const subject = input.app.name;
  const ready = (input.snapshots ?? [])
    .filter((s) => s.status === 'READY' && s.createTime)
    .map((s) => Date.parse(s.createTime!));
  const newest = ready.length ? Math.max(...ready) : undefined;
  if (newest === undefined)
    return [
      {
        severity: 'WARNING',
        code: 'audit.no-snapshot',
        subject,
        message: 'no READY snapshot exists: a rollback has nothing to restore from',
        advice:
          'Schedule snapshots (e.g. an EventBridge rule calling CreateApplicationSnapshot daily) and before each deploy.',
      },
    ];
  if (input.now - newest <= th.maxSnapshotAgeMs) return [];
  return [
    {
      severity: 'WARNING',
      code: 'audit.snapshot-stale',
      subject,
      message: `the newest snapshot is ${Math.round((input.now - newest) / 3_600_000)} h old`,
      advice: 'Schedule snapshots at least daily so that a restore does not replay days of input.',
    },
  ];
}

/** The runtime against the support states of `runtimeSupport`. */
function runtimeFindings(app: FlinkApplicationInfo): Finding[] {
  const subject = app.name;
  switch (runtimeSupport(app.runtime)) {
    case 'unsupported':
      return [
        {
          severity: 'CRITICAL',
          code: 'audit.runtime-unsupported',
          subject,
          message: `runtime ${app.runtime} is past end of support`,
          advice: 'Upgrade to Flink 1.20 or 2.2 (in-place version upgrade with a snapshot).',
        },
      ];
    case 'old':
      return [
        {
          severity: 'WARNING',
          code: 'audit.runtime-old',
          subject,
          message: `runtime ${app.runtime} is the oldest supported line`,
          advice: 'Plan the upgrade to Flink 1.20 or 2.2.',
        },
      ];
    case 'unknown':
      return app.kind === 'managed'
        ? [
            {
              severity: 'UNKNOWN',
              code: 'audit.runtime-unknown',
              subject,
              message: `runtime ${app.runtime ?? '(not reported)'} is not recognised`,
            },
          ]
        : [];
    case 'current':
      return [];
  }
}

/** Checkpointing off, and a metrics level that is costly. */
function configFindings(app: FlinkApplicationInfo): Finding[] {
  const subject = app.name;
  const f: Finding[] = [];
  if (app.checkpointingEnabled === false) {
    f.push({
      severity: 'CRITICAL',
      code: 'audit.checkpointing-off',
      subject,
      message: 'checkpointing is off: every restart loses state and reprocesses input',
      advice: 'Enable checkpointing (CheckpointConfiguration DEFAULT, or CUSTOM with CheckpointingEnabled).',
    });
  }
  if (app.metricsLevel?.toUpperCase() === 'PARALLELISM') {
    f.push({
      severity: 'WARNING',
      code: 'audit.metrics-level-costly',
      subject,
      message:
        'metrics level PARALLELISM publishes per-subtask metrics: costly and heavy at high parallelism',
      advice: 'Use APPLICATION (or OPERATOR while investigating).',
    });
  }
  return f;
}
