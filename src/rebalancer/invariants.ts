import type { Reassignment } from '../domain/reassignment.js';
import type { ClusterSnapshot } from '../domain/snapshot.js';
import type { AddedBroker } from './options.js';

/** A broken hard constraint. */
export interface Violation {
  kind:
    | 'unknown-partition'
    | 'unknown-broker'
    | 'replication-factor'
    | 'duplicate-broker'
    | 'rack-diversity'
    | 'removed-broker-not-empty'
    | 'capacity'
    | 'topic-filter';
  detail: string;
}

/** The context a plan is checked in (the same options it was planned with). */
export interface InvariantContext {
  addBrokers?: AddedBroker[];
  removeBrokers?: number[];
  topics?: string[];
  /** Share of capacity no broker may be pushed above (default 1 = the capacity). */
  maxUtilisation?: number;
}

/**
 * Checks a plan against a snapshot, independently of the planner's data structures (it is the
 * planner's oracle in tests and its last step on every plan):
 * replication factor unchanged; no broker twice in a partition; distinct racks per partition never
 * fewer than before (brokers without a rack do not count); removed brokers end empty; no broker
 * that received bytes ends above maxUtilisation × capacity; partitions outside a topic filter
 * unchanged (unless they had a replica on a removed broker).
 */
export function checkPlan(
  snap: ClusterSnapshot,
  plan: Reassignment,
  ctx: InvariantContext = {},
): Violation[] {
  const out: Violation[] = [];
  const { rack, cap } = brokerFacts(snap, ctx);
  const removed = new Set(ctx.removeBrokers ?? []);
  const topics = ctx.topics ? new Set(ctx.topics) : undefined;
  const { target, planned } = targetsOf(plan);
  const racksOf = (rs: number[]) => new Set(rs.map((b) => rack.get(b)).filter((r) => r !== undefined)).size;
  const before = new Map<number, number>();
  const after = new Map<number, number>();
  const heldAfter = new Map<number, number>();
  const add = (m: Map<number, number>, b: number, v: number) => m.set(b, (m.get(b) ?? 0) + v);
  let matched = 0;
  for (const p of snap.partitions) {
    const t = target.get(p.topic)?.get(p.partition);
    for (const b of p.replicas) add(before, b, p.sizeBytes);
    for (const b of t ?? p.replicas) {
      add(after, b, p.sizeBytes);
      add(heldAfter, b, 1);
    }
    if (!t) continue;
    matched++;
    const name = `${p.topic}-${p.partition}`;
    if (t.length !== p.replicas.length) {
      out.push({
        kind: 'replication-factor',
        detail: `${name}: ${p.replicas.length} replicas become ${t.length}`,
      });
    }
    if (new Set(t).size !== t.length)
      out.push({ kind: 'duplicate-broker', detail: `${name}: ${JSON.stringify(t)}` });
    for (const b of t) if (!rack.has(b)) out.push({ kind: 'unknown-broker', detail: `${name}: broker ${b}` });
    if (racksOf(t) < racksOf(p.replicas)) {
      out.push({
        kind: 'rack-diversity',
        detail: `${name}: ${racksOf(p.replicas)} racks become ${racksOf(t)}`,
      });
    }
    const same = t.length === p.replicas.length && t.every((b, i) => b === p.replicas[i]);
    if (topics && !topics.has(p.topic) && !same && !p.replicas.some((b) => removed.has(b))) {
      out.push({ kind: 'topic-filter', detail: `${name} changes but its topic is not in the filter` });
    }
  }
  if (matched !== planned) {
    out.push({
      kind: 'unknown-partition',
      detail: `${planned - matched} partition(s) of the plan are not in the snapshot`,
    });
  }
  for (const r of removed) {
    const held = heldAfter.get(r) ?? 0;
    if (held > 0) {
      out.push({ kind: 'removed-broker-not-empty', detail: `broker ${r} still holds ${held} replica(s)` });
    }
  }
  out.push(...capacityViolations(before, after, cap, ctx.maxUtilisation ?? 1));
  return out;
}

/** Rack and capacity per broker of the snapshot, plus the added brokers (mean capacity). */
function brokerFacts(snap: ClusterSnapshot, ctx: InvariantContext) {
  const rack = new Map<number, string | undefined>();
  const cap = new Map<number, number | undefined>();
  const known = snap.brokers
    .map((b) => b.capacityBytes)
    .filter((c): c is number => typeof c === 'number' && c > 0);
  const meanCap = known.length ? known.reduce((s, c) => s + c, 0) / known.length : undefined;
  for (const b of snap.brokers) {
    rack.set(b.id, typeof b.rack === 'string' && b.rack ? b.rack : undefined);
    cap.set(b.id, typeof b.capacityBytes === 'number' && b.capacityBytes > 0 ? b.capacityBytes : undefined);
  }
  for (const a of ctx.addBrokers ?? []) {
    if (!rack.has(a.id)) {
      rack.set(a.id, a.rack);
      cap.set(a.id, meanCap);
    } else if (a.rack !== undefined && rack.get(a.id) === undefined) rack.set(a.id, a.rack);
  }
  return { rack, cap };
}

/** topic → partition → target replicas (no per-partition string keys: snapshots are large). */
function targetsOf(plan: Reassignment) {
  const target = new Map<string, Map<number, number[]>>();
  let planned = 0;
  for (const p of plan.partitions) {
    let t = target.get(p.topic);
    if (!t) {
      t = new Map();
      target.set(p.topic, t);
    }
    if (!t.has(p.partition)) planned++;
    t.set(p.partition, p.replicas);
  }
  return { target, planned };
}

/** No broker that received bytes ends above maxUtilisation × capacity. */
function capacityViolations(
  before: Map<number, number>,
  after: Map<number, number>,
  cap: Map<number, number | undefined>,
  maxU: number,
): Violation[] {
  const out: Violation[] = [];
  for (const [b, bytes] of after) {
    const c = cap.get(b);
    if (c === undefined) continue;
    if (bytes > maxU * c * (1 + 1e-12) && bytes > (before.get(b) ?? 0)) {
      out.push({
        kind: 'capacity',
        detail: `broker ${b} receives bytes and ends at ${((100 * bytes) / c).toFixed(1)}% of capacity`,
      });
    }
  }
  return out;
}
