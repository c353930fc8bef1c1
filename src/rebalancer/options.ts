import { usageError } from '../core/errors.js';
import { MAX_INT32 } from '../domain/snapshot.js';
import type { BrokerType } from './broker-type.js';
import type { BrokerTraffic } from './goals/traffic.js';

/** A broker to fill in add-broker mode: an id, and a rack for ids not yet in the snapshot. */
export interface AddedBroker {
  id: number;
  rack?: string;
}

/**
 * What the planner is asked to do. Modes combine: add and remove brokers in one plan, or restrict
 * any mode to some topics. `light` only lets brokers above `lightThreshold` shed load.
 */
export interface PlanOptions {
  /** Brokers to fill (empty brokers in the snapshot, or new ids with an assumed mean capacity). */
  addBrokers: AddedBroker[];
  /** Brokers to drain: they end with no replicas. */
  removeBrokers: number[];
  /** Only brokers whose utilisation (used / capacity) is above `lightThreshold` shed load. */
  light: boolean;
  /** Utilisation above which a broker is "hot" in light mode (0.8 = 80 % of its capacity). */
  lightThreshold: number;
  /** Only partitions of these topics may change (undefined = all topics). */
  topics?: string[];
  /** Target band for disk utilisation: max / mean ≤ maxSpread (and min / mean ≥ 2 − maxSpread). */
  maxSpread: number;
  /** Target band for log dirs within a broker (JBOD): max / mean dir utilisation ≤ dirSpread. */
  dirSpread: number;
  /** Target band for replica counts (relative to capacity share). */
  countSpread: number;
  /** Target band for preferred-leader counts. */
  leaderSpread: number;
  /** No move may take a broker above this share of its capacity (brokers with a known capacity). */
  maxUtilisation: number;
  /** Seed for tie-breaks: same snapshot + options + seed = same plan. */
  seed: number;
  /** Fix every partition spanning fewer racks than it could (not only those the plan moves). */
  repairRacks: boolean;
  /**
   * Broker type (undefined: the snapshot's `brokerType`, else self-managed). Express has no disk
   * to balance: its goals are partitions per broker and leaders. Serverless is refused.
   */
  brokerType?: BrokerType;
  /**
   * Bytes in/out per second per broker (CloudWatch, read by the caller): on MSK Express the
   * throughput goal balances them within --band. Ignored on other broker types.
   */
  brokerTraffic?: BrokerTraffic[];
}

/** The defaults (documented in docs/rebalancer.md). */
export const DEFAULT_PLAN_OPTIONS: PlanOptions = {
  addBrokers: [],
  removeBrokers: [],
  light: false,
  lightThreshold: 0.8,
  maxSpread: 1.03,
  dirSpread: 1.03,
  countSpread: 1.1,
  leaderSpread: 1.03,
  maxUtilisation: 0.9,
  seed: 0,
  repairRacks: false,
};

/** Fills in defaults and checks ranges; errors are usage errors naming the option. */
export function resolvePlanOptions(partial: Partial<PlanOptions> = {}): PlanOptions {
  const o: PlanOptions = { ...DEFAULT_PLAN_OPTIONS, ...stripUndefined(partial) };
  const spread = (name: string, v: number) => {
    if (!(Number.isFinite(v) && v >= 1 && v < 2))
      throw usageError(`${name} must be a number in [1, 2), got ${v}`);
  };
  spread('band', o.maxSpread);
  spread('count-band', o.countSpread);
  spread('dir-band', o.dirSpread);
  spread('leader-band', o.leaderSpread);
  if (!(o.lightThreshold > 0 && o.lightThreshold <= 1)) {
    throw usageError(`light-threshold must be a utilisation in (0, 1], got ${o.lightThreshold}`);
  }
  if (!(o.maxUtilisation > 0 && o.maxUtilisation <= 1)) {
    throw usageError(`max-utilisation must be in (0, 1], got ${o.maxUtilisation}`);
  }
  if (!Number.isInteger(o.seed)) throw usageError(`seed must be an integer, got ${o.seed}`);
  const removed = new Set(o.removeBrokers);
  for (const a of o.addBrokers) {
    if (removed.has(a.id)) throw usageError(`broker ${a.id} is both added and removed`);
  }
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Parses `--add-broker 4,5,6:use1-az3`: ids, each optionally with `:rack` (for brokers that are
 * not in the snapshot yet).
 */
export function parseAddBrokers(text: string, flag = '--add-broker'): AddedBroker[] {
  return splitList(text, flag).map((item) => {
    const [idText, ...rackParts] = item.split(':');
    const id = parseBrokerId(idText ?? '', flag, item);
    const rack = rackParts.join(':').trim();
    return rack ? { id, rack } : { id };
  });
}

/** Parses `--remove-broker 4,5`. */
export function parseBrokerIds(text: string, flag = '--remove-broker'): number[] {
  return splitList(text, flag).map((item) => parseBrokerId(item, flag, item));
}

/** Parses `--topics a,b`. */
export function parseTopics(text: string, flag = '--topics'): string[] {
  return splitList(text, flag);
}

function splitList(text: string, flag: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw usageError(`${flag} expects a comma-separated list, got "${text}"`);
  return items;
}

function parseBrokerId(text: string, flag: string, item: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) > MAX_INT32)
    throw usageError(`${flag}: "${item}" is not a broker id (expected an integer from 0 to ${MAX_INT32})`);
  return Number(t);
}
