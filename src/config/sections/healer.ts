import { z } from 'zod';
import { Duration, DurationAtLeast, SecretRef, TimeZone } from './common.js';

const HHMM = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'a time of day such as 08:00 or 24:00');

/**
 * The fail-and-restart loop rule (docs/healer.md "Detect: the restart loop"). Restarts are the DIFF
 * of the restart counter per 1-minute CloudWatch period. Fast rule: at least `minRestarts` restarts
 * within the last `windowPeriods` periods AND in at least `minPeriods` distinct periods, so a burst
 * inside one minute (a TaskManager loss, a maintenance restart) never fires on its own. Slow rule:
 * `minRestarts` restart events no more than `maxInterval` apart with no stable run between them
 * (a gap longer than `stableRunFactor` × the shortest one), as a job with large state that fails
 * every few minutes after restoring.
 */
export const HealerLoopSection = z
  .strictObject({
    windowPeriods: z
      .number()
      .int()
      .min(2)
      .max(60)
      .default(5)
      .describe('Window of the loop rule, in 1-minute periods.'),
    minRestarts: z
      .number()
      .int()
      .min(3)
      .default(3)
      .describe(
        'Restarts within the window that make a loop (never fewer than 3: one or two restarts are normal).',
      ),
    minPeriods: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe('Distinct periods with restarts within the window (a burst in one period is a blip).'),
    pendingPeriods: z
      .number()
      .int()
      .min(0)
      .max(5)
      .default(2)
      .describe(
        'Newest periods that may lack a datapoint because CloudWatch has not published them yet (not counted as missing).',
      ),
    maxInterval: Duration.default('15m').describe(
      'Slow loops: restarts at most this far apart, with no stable run between them, still form one loop.',
    ),
    stableRunFactor: z
      .number()
      .min(1.5)
      .max(10)
      .default(2)
      .describe(
        "A run without restart longer than this many times the loop's observed restart interval is a stable run: it separates isolated restarts, and it ends a loop.",
      ),
    resolveAfterQuietPeriods: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe(
        'Consecutive known periods without restarts that end a loop, at least (a slow loop needs stableRunFactor × its interval; missing periods do not count).',
      ),
  })
  .prefault({})
  .describe('Restart-loop detection.');

/** Verification after an action (docs/design.md §4). */
export const HealerVerifySection = z
  .strictObject({
    settleTimeout: Duration.default('10m').describe(
      'How long the application may take to settle (RUNNING after a rollback, READY after a force-stop).',
    ),
    timeout: Duration.default('15m').describe('Give up verifying after this long: the action failed.'),
    fallbackQuietPeriods: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe(
        'Without the Flink dashboard: known periods without restarts, after settling, that count as healed.',
      ),
  })
  .prefault({})
  .describe('Post-action verification.');

/** The fleet-wide breaker: many applications looping at once in one account/region is a systemic event. */
export const HealerFleetBreakerSection = z
  .strictObject({
    minApps: z
      .number()
      .int()
      .min(2)
      .default(3)
      .describe('Looping applications in one account/region from which the share rule applies.'),
    share: z
      .number()
      .gt(0)
      .max(1)
      .default(0.2)
      .describe(
        'Share of the account/region fleet looping at once that trips the breaker (with at least minApps).',
      ),
    maxApps: z
      .number()
      .int()
      .min(2)
      .default(10)
      .describe('Looping applications in one account/region that trip the breaker whatever the share.'),
  })
  .prefault({})
  .describe('Fleet-wide breaker: page only, no automatic action.');

/** Hours in which the healer may act (record only outside them). Absent: any time. */
export const HealerAllowedHours = z
  .strictObject({
    start: HHMM.describe('Start of the window (inclusive), HH:MM.'),
    end: HHMM.describe('End of the window (exclusive), HH:MM; may be before start to span midnight.'),
    timezone: TimeZone.default('UTC').describe('IANA time zone of the window, e.g. Europe/Paris.'),
    days: z
      .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
      .optional()
      .describe('Days on which the window applies (default: every day).'),
  })
  .describe('Allowed hours for automatic actions.');

/** The live daemon (`streamctl healer run`): its HTTP endpoint and health rule; see docs/healer-daemon.md. */
export const HealerDaemonSection = z
  .strictObject({
    listen: z
      .string()
      .regex(/^(\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}$/, 'host:port, e.g. 127.0.0.1:9464')
      .default('127.0.0.1:9464')
      .describe('Address of the /metrics and /healthz endpoint (port 0: any free port, logged at start).'),
    unhealthyAfterFailedTicks: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('/healthz answers 503 once this many ticks in a row have failed.'),
    tickDeadline: DurationAtLeast('1s')
      .default('2m')
      .describe(
        '/healthz answers 503 (status stalled, with the reason) while a tick has run longer than this: an endpoint that never answers wedges a tick.',
      ),
    shutdownGrace: DurationAtLeast('1s')
      .default('10s')
      .describe(
        'After SIGTERM/SIGINT the current tick may finish for this long; then its calls in flight are aborted (an action cut short is reconciled from the journal at the next start) and the daemon exits.',
      ),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
      .default('info')
      .describe('Level of the JSON logs on stdout.'),
  })
  .prefault({})
  .describe('The healer daemon process.');

/**
 * The coordination store (src/store): the journal, leader leases and per-target locks. SQLite at
 * `healer.journal` by default (one node); PostgreSQL with `url` for N replicas (docs/deployment.md).
 */
export const HealerStoreSection = z
  .strictObject({
    url: SecretRef.optional().describe(
      'PostgreSQL URL (postgres://user:password@host:5432/db), from an env var or a file. Unset: the embedded SQLite file healer.journal.',
    ),
    leaseTtl: DurationAtLeast('2s')
      .default('15s')
      .describe(
        'Leader lease: a replica that has not renewed it for this long loses it; a standby takes over within leaseTtl + one renewal.',
      ),
    replicaId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Name of this replica in leases and locks (default: hostname/pid).'),
    shards: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(1)
      .describe(
        'Shards of the fleet (K): each has its own lease, and the replicas balance them (about K / replicas each). 1: one leader acts for the whole fleet. Change it only with every replica stopped (docs/deployment.md).',
      ),
  })
  .prefault({})
  .describe('Where the healer journal, leases and locks live.');

/** Healer settings. The healer owns this section; see docs/healer.md. */
export const HealerSection = z
  .strictObject({
    mode: z
      .enum(['dry-run', 'act'])
      .default('dry-run')
      .describe('dry-run records decisions only; act performs them.'),
    tickInterval: DurationAtLeast('5s').default('60s').describe('How often the daemon observes the fleet.'),
    suspectCheckInterval: DurationAtLeast('1s')
      .default('15s')
      .describe(
        'Faster re-check of an application that restarted but is not (yet) a loop; this is what makes detection beat the 5-minute alarm.',
      ),
    journal: z.string().default('.streamctl/journal.db').describe('SQLite journal path.'),
    loop: HealerLoopSection,
    stuckTimeout: Duration.default('20m').describe(
      'UPDATING or AUTOSCALING for longer than this is stuck: roll back.',
    ),
    checkpointStallAfter: Duration.optional().describe(
      "No completed checkpoint for this long raises a checkpoint-stall anomaly (page). Default: max(checkpointStallMin, 10 × the application's checkpoint interval, read from its configuration); per application: flink.applications[].healing.checkpointStallAfter.",
    ),
    checkpointStallMin: Duration.default('10m').describe(
      'Floor of the default checkpoint-stall threshold (the Flink Kubernetes Operator uses 5 minutes of no checkpoint progress).',
    ),
    checkpointStallIntervals: z
      .number()
      .min(1)
      .default(10)
      .describe('Default checkpoint-stall threshold, in checkpoint intervals (at least checkpointStallMin).'),
    recentChangeWindow: Duration.default('60m').describe(
      'A successful UpdateApplication this recent before the loop makes it a bad-deploy candidate for rollback.',
    ),
    subtaskCheckWindow: Duration.default('15m').describe(
      'How long after an operation FAILING/CANCELED subtasks are attributed to it.',
    ),
    cooldown: Duration.default('30m').describe(
      'After an action on an application, no new action on it for this long.',
    ),
    maxActionsPerHour: z
      .number()
      .int()
      .min(0)
      .default(5)
      .describe('Global budget of automatic actions per rolling hour (0 = never act).'),
    fleetBreaker: HealerFleetBreakerSection,
    systemLoopPageAfter: Duration.default('15m').describe(
      "A loop classified as system is left to Flink's restart strategy; page if it lasts this long.",
    ),
    forceStopUnchangedLoops: z
      .boolean()
      .default(false)
      .describe(
        'Opt-in: force-stop a user-fault loop with no recent change (e.g. a poison message) once it lasted userLoopForceStopAfter. Off by default: StopApplication Force=true takes no snapshot and needs a human to restart, and nothing shows that stopping an unchanged job helps; such loops are paged with the evidence.',
      ),
    userLoopForceStopAfter: Duration.default('10m').describe(
      'With forceStopUnchangedLoops: how long a user-fault loop with no recent change may last before it is force-stopped.',
    ),
    minConfidence: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .describe('Classifier verdicts below this confidence are treated as unknown (page, no action).'),
    allowedHours: HealerAllowedHours.optional(),
    verify: HealerVerifySection,
    reconcileSkew: Duration.default('5s').describe(
      'Clock skew tolerated when matching a journaled intent with an MSF operation after a crash.',
    ),
    daemon: HealerDaemonSection,
    store: HealerStoreSection,
  })
  .prefault({})
  .describe('The auto-healing daemon.');
export type HealerSection = z.infer<typeof HealerSection>;

export const NotificationsSection = z
  .strictObject({
    slack: z
      .strictObject({ webhook: SecretRef.describe('Slack incoming webhook URL.') })
      .optional()
      .describe('Slack: incident pages and updates to an incoming webhook.'),
    pagerduty: z
      .strictObject({ routingKey: SecretRef.describe('PagerDuty Events API v2 routing key.') })
      .optional()
      .describe('PagerDuty Events API v2: one incident per dedup key, triggered, updated and resolved.'),
    sns: z
      .strictObject({ topicArn: z.string().describe('SNS topic ARN for pages and alarms.') })
      .optional()
      .describe('Amazon SNS topic for pages and incident updates.'),
    webhook: z
      .strictObject({ url: SecretRef.describe('Generic webhook URL (POST JSON).') })
      .optional()
      .describe('A generic webhook receiving each notification as JSON.'),
  })
  .default({})
  .describe('Where pages and incident updates go.');
export type NotificationsSection = z.infer<typeof NotificationsSection>;
