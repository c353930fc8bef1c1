/**
 * The shapes of a healer tick (tick.ts): the observer port it reads the fleet through, what it
 * depends on, and what it reports per application and per tick.
 */
import type { HealerActions } from '../../healer/act/port.js';
import type { FailureClassifier } from '../../healer/classifier.js';
import type { StepResult } from '../../healer/engine.js';
import type { HealerJournal } from '../../healer/journal/port.js';
import type { AppObservation, FleetContext } from '../../healer/observation.js';
import type { HealerPolicy } from '../../healer/policy.js';
import type { ActionRun } from './act/runner.js';

/** The observer port: the base tier for every app, the enriched tier for a few. */
export interface FleetObserver {
  /** Base tier: status, version, tags, restart counter (batched), for all apps or the named ones. */
  observe(now: number, apps?: readonly string[]): Promise<AppObservation[]>;
  /** Enriched tier: operations, snapshots, failure texts; subtasks (presigned REST) only for `subtasksFor`. */
  enrich(
    obs: AppObservation[],
    now: number,
    opts: { subtasksFor: ReadonlySet<string> },
  ): Promise<AppObservation[]>;
}

/** What a tick works with: the ports, the journal, the classifier and the policy. */
export interface TickDeps {
  observer: FleetObserver;
  actions: HealerActions;
  journal: HealerJournal;
  classifier: FailureClassifier;
  policy: HealerPolicy;
  /** flink.applications[].healing.enabled (true for discovered applications). */
  healingEnabled(app: string): boolean;
  /** The clock for journal timestamps inside the tick (virtual in simulation). */
  now(): number;
  /**
   * Sharded daemons (fleet-peers.ts): publishes this shard's fleet counts under its token and
   * returns the whole fleet's (the other shards' fresh counts added), so the fleet breaker sees
   * every shard. Absent: this tick sees the whole fleet already.
   */
  fleetPeers?: FleetPeers;
}

/** The fleet counts of the other shards (see TickDeps.fleetPeers). */
export interface FleetPeers {
  exchange(local: readonly FleetContext[], now: number): Promise<readonly FleetContext[]>;
  /** When the fleet's actions of the last hour started, every shard's (the hourly budget). */
  actionTimes(now: number): Promise<number[]>;
}

/** What a tick did for one application. */
export interface AppTickReport extends StepResult {
  app: string;
  observation: AppObservation;
  action?: ActionRun;
  /** When this app should be looked at again (check/wait decisions), epoch ms. */
  nextCheckAt?: number;
}

/** What a tick did: per application, and how many it enriched. */
export interface TickReport {
  at: number;
  apps: AppTickReport[];
  enriched: number;
}
