/**
 * The model's shape (model.ts builds it; model-build.ts builds its tables): apart from model.ts
 * so that the table builders need no import of the model's code.
 */
/**
 * The planner's working model of a cluster: flat typed arrays so that 2.8M replicas on 215
 * brokers fit in tens of megabytes. Brokers and partitions are addressed by dense indexes;
 * broker ids and topic names appear only at the edges. Replicas of partition p live in
 * `rep[off[p] .. off[p+1])`, first = preferred leader; `orig` keeps the snapshot's assignment.
 */
export interface Model {
  nB: number;
  nP: number;
  brokerId: Int32Array;
  brokerIndex: Map<number, number>;
  /** Rack index per broker, -1 when the broker has no rack (no rack constraint applies to it). */
  rack: Int32Array;
  rackNames: string[];
  /** Capacity used for utilisation (mean of the known ones when absent; 1 when none is known). */
  cap: Float64Array;
  /** Bytes a move may never push a broker above (maxUtilisation × capacity; Infinity if unknown). */
  limit: Float64Array;
  /** Whether every broker has a capacity. */
  capacityKnown: boolean;
  removed: Uint8Array;
  /** Brokers being added (add-broker mode): the only destinations of byte moves. */
  added: Uint8Array;
  /** Whether the snapshot listed the broker (added ids may be new). */
  inSnapshot: Uint8Array;
  topics: string[];
  pTopic: Int32Array;
  pNum: Int32Array;
  size: Float64Array;
  off: Int32Array;
  rep: Int32Array;
  orig: Int32Array;
  /** Partitions the options allow to change. */
  movable: Uint8Array;
  /** Distinct racks per partition in the snapshot: never allowed to drop. */
  rack0: Uint8Array;
  /** Distinct racks per partition now (kept in step with `rep`): a move never lowers it. */
  rackNow: Uint8Array;
  /** Distinct racks among the brokers that remain (the most any partition can span). */
  racksAvailable: number;
  /** Seeded tie-break key per partition. */
  tie: Uint32Array;
  /** Current per-broker figures, kept in step with `rep`. */
  load: Float64Array;
  count: Int32Array;
  leaders: Int32Array;
  load0: Float64Array;
  count0: Int32Array;
  leaders0: Int32Array;
  /** The goal on whose behalf moves are being made (set by the planner before each pass). */
  goal: GoalId;
  /** Every move and reorder in order, flat: partition, from, to, goal (4 numbers each). */
  log: number[];
}

/** The goals, in the order a move's reason names them (indexes into GOAL_NAMES). */
export const GOAL_NAMES = [
  'drain',
  'rack repair',
  'disk',
  'replica count',
  'leader order',
  'throughput',
] as const;
/** A goal's index in GOAL_NAMES. */
export type GoalId = 0 | 1 | 2 | 3 | 4 | 5;
/** Goal ids by name. */
export const GOAL = { drain: 0, rackRepair: 1, disk: 2, count: 3, leaders: 4, throughput: 5 } as const;
