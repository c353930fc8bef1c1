/** What the decision ladder reads (ladder.ts), shared with its helpers (diagnosis, failed-operation). */
import type { Anomaly } from '../anomaly.js';
import type { Classification } from '../classifier.js';
import type { AppObservation, FleetContext } from '../observation.js';
import type { HealerPolicy } from '../policy.js';
import type { AppHealerState } from '../state.js';

/** Everything the ladder reads. */
export interface DecideInput {
  obs: AppObservation;
  anomalies: readonly Anomaly[];
  /** The classification of the loop's first failure (undefined: no failure text yet). */
  classification?: Classification;
  state: AppHealerState;
  fleet: FleetContext;
  /** Automatic actions (any app) started in the last hour, including earlier in this tick. */
  actionsInLastHour: number;
  /** streamctl.yaml flink.applications[].healing.enabled (true for discovered apps). */
  healingEnabled: boolean;
  policy: HealerPolicy;
  now: number;
}
