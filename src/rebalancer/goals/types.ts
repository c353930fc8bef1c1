/**
 * The shapes every goal pass shares (the context it works in, what a pass reports, the throughput
 * goal's state), apart from the goals' code so that goals import each other's types without cycles.
 */
import type { ReplicaIndex } from '../candidates.js';
import type { Model } from '../model-types.js';
import type { Band } from './band.js';

/** Shared state of the goals: the model, its replica index, and where bytes may go. */
export interface GoalContext {
  m: Model;
  idx: ReplicaIndex;
  disk: Band;
  /** Brokers that may receive replicas (add-broker mode: only the added ones). */
  destAllowed: Uint8Array;
  /** Brokers that may give replicas (light mode: only the hot ones). */
  srcAllowed: Uint8Array;
  /** Per-broker ceiling for receivers on top of the band (light mode: the hot threshold). */
  ceiling: Float64Array;
  /** The smallest penalty change that counts as progress (bytes). */
  eps: number;
  /** The replica-count band: disk moves pick sizes that keep counts on course (undefined: off). */
  counts?: Band;
  /** MSK Express with CloudWatch traffic figures: the throughput goal's state. */
  throughput?: Throughput;
}

/** The result of a goal pass: how many replica moves it made. */
export interface PassResult {
  moves: number;
}

/** The throughput goal's state: per-partition estimate (per replica), per-broker sums, band. */
export interface Throughput {
  weight: Float64Array;
  now: Float64Array;
  before: Float64Array;
  band: Band;
}
