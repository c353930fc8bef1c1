import { HealerSection } from '../config/sections/healer.js';
import { parseDuration } from '../core/clock.js';

/** Allowed hours resolved for the pure core. */
export interface AllowedHours {
  startMinute: number;
  endMinute: number;
  timezone: string;
  days?: string[];
}

/**
 * The healer settings in the form the pure core uses: every duration in milliseconds.
 * Built once from the validated `healer` config section (`policyFromConfig`).
 */
export interface HealerPolicy {
  mode: 'dry-run' | 'act';
  tickIntervalMs: number;
  suspectCheckIntervalMs: number;
  loop: {
    windowPeriods: number;
    minRestarts: number;
    minPeriods: number;
    pendingPeriods: number;
    resolveAfterQuietPeriods: number;
    /** Slow loops: the longest gap between restarts that still forms one loop. */
    maxIntervalMs: number;
    /** A run longer than this many times the observed restart interval is stable. */
    stableRunFactor: number;
    /**
     * Periods of the restart counter an observer reads: the fast window or the slow rule's span
     * ((minRestarts − 1) × maxInterval), whichever is longer, plus the unpublished periods and one
     * predecessor for the first DIFF.
     */
    lookbackPeriods: number;
  };
  /** CloudWatch period of the restart-counter series (1 minute, fixed by the metric's resolution). */
  periodMs: number;
  stuckTimeoutMs: number;
  /**
   * Checkpoint stall: a fixed threshold when configured; otherwise max(minMs, intervals × the
   * application's checkpoint interval) (`checkpointStallThreshold`).
   */
  checkpointStall: { afterMs?: number; minMs: number; intervals: number };
  recentChangeWindowMs: number;
  subtaskCheckWindowMs: number;
  cooldownMs: number;
  maxActionsPerHour: number;
  fleetBreaker: { minApps: number; share: number; maxApps: number };
  systemLoopPageAfterMs: number;
  /** Opt-in: force-stop user loops with no recent change after `userLoopForceStopAfterMs`. */
  forceStopUnchangedLoops: boolean;
  userLoopForceStopAfterMs: number;
  minConfidence: number;
  allowedHours?: AllowedHours;
  verify: { settleTimeoutMs: number; timeoutMs: number; fallbackQuietPeriods: number };
  reconcileSkewMs: number;
}

function ms(text: string): number {
  const v = parseDuration(text);
  if (v === undefined) throw new Error(`invalid duration ${text}`); // unreachable: the schema validated it
  return v;
}

function minuteOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Converts the validated `healer` section (or a partial one, defaults applied) into a HealerPolicy. */
export function policyFromConfig(section: unknown = {}): HealerPolicy {
  const s = HealerSection.parse(section);
  const policy: HealerPolicy = {
    mode: s.mode,
    tickIntervalMs: ms(s.tickInterval),
    suspectCheckIntervalMs: ms(s.suspectCheckInterval),
    loop: {
      windowPeriods: s.loop.windowPeriods,
      minRestarts: s.loop.minRestarts,
      minPeriods: s.loop.minPeriods,
      pendingPeriods: s.loop.pendingPeriods,
      resolveAfterQuietPeriods: s.loop.resolveAfterQuietPeriods,
      maxIntervalMs: ms(s.loop.maxInterval),
      stableRunFactor: s.loop.stableRunFactor,
      lookbackPeriods:
        Math.max(
          s.loop.windowPeriods,
          Math.ceil(((s.loop.minRestarts - 1) * ms(s.loop.maxInterval)) / 60_000) + 1,
        ) +
        s.loop.pendingPeriods +
        1,
    },
    periodMs: 60_000,
    stuckTimeoutMs: ms(s.stuckTimeout),
    checkpointStall: {
      ...(s.checkpointStallAfter ? { afterMs: ms(s.checkpointStallAfter) } : {}),
      minMs: ms(s.checkpointStallMin),
      intervals: s.checkpointStallIntervals,
    },
    recentChangeWindowMs: ms(s.recentChangeWindow),
    subtaskCheckWindowMs: ms(s.subtaskCheckWindow),
    cooldownMs: ms(s.cooldown),
    maxActionsPerHour: s.maxActionsPerHour,
    fleetBreaker: { ...s.fleetBreaker },
    systemLoopPageAfterMs: ms(s.systemLoopPageAfter),
    forceStopUnchangedLoops: s.forceStopUnchangedLoops,
    userLoopForceStopAfterMs: ms(s.userLoopForceStopAfter),
    minConfidence: s.minConfidence,
    verify: {
      settleTimeoutMs: ms(s.verify.settleTimeout),
      timeoutMs: ms(s.verify.timeout),
      fallbackQuietPeriods: s.verify.fallbackQuietPeriods,
    },
    reconcileSkewMs: ms(s.reconcileSkew),
  };
  if (s.allowedHours) {
    policy.allowedHours = {
      startMinute: minuteOfDay(s.allowedHours.start),
      endMinute: minuteOfDay(s.allowedHours.end),
      timezone: s.allowedHours.timezone,
      ...(s.allowedHours.days ? { days: s.allowedHours.days } : {}),
    };
  }
  return policy;
}
