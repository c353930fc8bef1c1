/**
 * Seeded synthetic clusters for the rebalancer benchmark and property tests: the distributions
 * that break planners in practice. Placement is what Kafka does at topic creation (rack-aware
 * round-robin over the brokers that existed then, capacity ignored), followed by drift (topics
 * created on a subset of brokers). Pure: same spec, same snapshot.
 */
import type { ClusterSnapshot, SnapshotBroker, SnapshotPartition } from '../src/domain/snapshot.js';
import type { PlanOptions } from '../src/rebalancer/options.js';
import { mulberry32 } from '../src/rebalancer/prng.js';

/** One distribution: its cluster shape and the plan options it is balanced with. */
export interface ClusterSpec {
  name: string;
  seed: number;
  /** Brokers per rack (uneven racks: [6, 4, 2]); `rack: undefined` when `noRacks`. */
  racks: number[];
  noRacks?: boolean;
  partitions: number;
  topics: number;
  /** Weights of replication factors 1..5 (index 0 = RF 1). */
  rfWeights: number[];
  /** Capacity multipliers cycled over brokers ([1] = equal; [1, 2, 4] = heterogeneous). */
  capacityMix: number[];
  /** Share of topics created on a subset of the brokers. */
  drift: number;
  /** Share of partitions 20–60× the median size (fat partitions). */
  fatShare: number;
  /** Topics carrying most of the bytes (a few giant topics). */
  giantTopics: number;
  /** Brokers at the end that hold nothing yet (scale-out: they are the added brokers). */
  emptyBrokers: number;
  /** Brokers to decommission (the last data-holding ones). */
  removeBrokers: number;
  /** Log dirs per broker (JBOD), with skewed placement into them; 1 = no JBOD. */
  logDirs: number;
}

/** A generated case: the snapshot and the options to plan it with. */
export interface GeneratedCase {
  snapshot: ClusterSnapshot;
  options: Partial<PlanOptions>;
}

/** Generates the snapshot of a spec (deterministic). */
export function generateCluster(spec: ClusterSpec): GeneratedCase {
  const rnd = mulberry32(spec.seed);
  const brokers = makeBrokers(spec);
  const holding = brokers.slice(0, brokers.length - spec.emptyBrokers);
  const partitions: SnapshotPartition[] = [];
  const shares = topicShares(spec, rnd);
  const counts = topicCounts(spec);
  for (let t = 0; t < spec.topics; t++) {
    const rf = Math.min(pickRf(spec.rfWeights, rnd), holding.length);
    let pool = holding;
    if (rnd() < spec.drift && holding.length > rf + 1) {
      const k = rf + Math.floor(rnd() * (holding.length - rf));
      pool = shuffle(holding.slice(), rnd).slice(0, k);
    }
    const order = rackAwareOrder(pool);
    const start = Math.floor(rnd() * order.length);
    const shift = 1 + Math.floor(rnd() * Math.max(1, order.length - 1));
    const sizes = Array.from(
      { length: counts[t]! },
      () => pareto(rnd) * (rnd() < spec.fatShare ? 20 + 40 * rnd() : 1),
    );
    const sum = sizes.reduce((s, x) => s + x, 0);
    for (let p = 0; p < sizes.length; p++) {
      const replicas = placeReplicas(order, start + p, shift, rf);
      const sizeBytes = Math.max(0, Math.round((shares[t]! * 6e12 * sizes[p]!) / sum));
      partitions.push({ topic: `topic-${t}`, partition: p, replicas, leader: replicas[0]!, sizeBytes });
    }
  }
  setCapacities(brokers, partitions, spec);
  if (spec.logDirs > 1) assignLogDirs(brokers, partitions, spec.logDirs, rnd);
  const ids = brokers.map((b) => b.id);
  const options: Partial<PlanOptions> = {};
  if (spec.emptyBrokers > 0)
    options.addBrokers = ids.slice(ids.length - spec.emptyBrokers).map((id) => ({ id }));
  if (spec.removeBrokers > 0) {
    const last = holding.length;
    options.removeBrokers = ids.slice(last - spec.removeBrokers, last);
  }
  return {
    snapshot: { version: 1, cluster: spec.name, capturedAt: '2026-12-07T00:00:00Z', brokers, partitions },
    options,
  };
}

function makeBrokers(spec: ClusterSpec): SnapshotBroker[] {
  const out: SnapshotBroker[] = [];
  const left = spec.racks.slice();
  // Interleave racks so that brokers 1, 2, 3... cycle through racks while each still has brokers.
  for (let id = 1; left.some((n) => n > 0); ) {
    for (let r = 0; r < left.length; r++) {
      if (left[r]! <= 0) continue;
      left[r]!--;
      out.push({ id: id++, ...(spec.noRacks ? {} : { rack: `az${r + 1}` }) });
    }
  }
  return out;
}

function topicShares(spec: ClusterSpec, rnd: () => number): number[] {
  const v = Array.from({ length: spec.topics }, (_, t) =>
    t < spec.giantTopics ? 40 + 40 * rnd() : Math.exp(1.5 * normal(rnd)),
  );
  const s = v.reduce((a, x) => a + x, 0);
  return v.map((x) => x / s);
}

function topicCounts(spec: ClusterSpec): number[] {
  const w = Array.from({ length: spec.topics }, (_, i) => 1 / (i + 1) ** 1.1);
  const ws = w.reduce((a, x) => a + x, 0);
  return w.map((x) => Math.max(1, Math.round(spec.partitions * (0.3 / spec.topics + (0.7 * x) / ws))));
}

function pickRf(weights: number[], rnd: () => number): number {
  const total = weights.reduce((a, x) => a + x, 0);
  let x = rnd() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i + 1;
  }
  return weights.length;
}

function rackAwareOrder(pool: SnapshotBroker[]): number[] {
  const racks = [...new Set(pool.map((b) => String(b.rack ?? '')))].sort();
  const lists = racks.map((r) => pool.filter((b) => String(b.rack ?? '') === r).map((b) => b.id));
  const order: number[] = [];
  const longest = Math.max(...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (i < l.length) order.push(l[i]!);
  return order;
}

function placeReplicas(order: number[], at: number, shift: number, rf: number): number[] {
  const reps = [order[at % order.length]!];
  for (let j = 1; reps.length < rf && j <= order.length * 2; j++) {
    const c = order[(at + j * shift) % order.length]!;
    if (!reps.includes(c)) reps.push(c);
  }
  for (let j = 0; reps.length < rf; j++) if (!reps.includes(order[j]!)) reps.push(order[j]!);
  return reps;
}

function setCapacities(brokers: SnapshotBroker[], parts: SnapshotPartition[], spec: ClusterSpec): void {
  const total = parts.reduce((s, p) => s + p.sizeBytes * p.replicas.length, 0);
  const mult = brokers.map((_, i) => spec.capacityMix[i % spec.capacityMix.length]!);
  const msum = mult.reduce((a, x) => a + x, 0);
  // Mean utilisation about 40 %, so capacity limits bind only on the smallest, hottest brokers.
  brokers.forEach((b, i) => {
    b.capacityBytes = Math.round((total / 0.4) * (mult[i]! / msum));
  });
}

function assignLogDirs(
  brokers: SnapshotBroker[],
  parts: SnapshotPartition[],
  n: number,
  rnd: () => number,
): void {
  const dirs = Array.from({ length: n }, (_, i) => `/data/d${i + 1}`);
  for (const b of brokers) {
    const cap = (b.capacityBytes as number) / n;
    b.logDirs = dirs.map((path) => ({ path, totalBytes: Math.round(cap) }));
  }
  // Skewed: the first dir gets half of everything, the rest share the other half.
  for (const p of parts) {
    p.logDirs = p.replicas.map(() => (rnd() < 0.5 ? dirs[0]! : dirs[1 + Math.floor(rnd() * (n - 1))]!));
  }
}

function pareto(rnd: () => number): number {
  return 1 / (1 - rnd()) ** (1 / 2.5);
}

function normal(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

function shuffle<T>(a: T[], rnd: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const base: Omit<ClusterSpec, 'name' | 'seed'> = {
  racks: [4, 4, 4],
  partitions: 20_000,
  topics: 200,
  rfWeights: [0, 0, 1],
  capacityMix: [1],
  drift: 0.3,
  fatShare: 0,
  giantTopics: 0,
  emptyBrokers: 0,
  removeBrokers: 0,
  logDirs: 1,
};

/** The benchmark's distributions (held-out-like shapes; the planner is never tuned on one). */
export const DISTRIBUTIONS: ClusterSpec[] = [
  { ...base, name: 'uneven-racks-mixed-rf', seed: 101, racks: [7, 4, 2], rfWeights: [1, 3, 6, 1, 1] },
  { ...base, name: 'heterogeneous-capacity', seed: 102, racks: [6, 6, 6], capacityMix: [1, 2, 4, 1.5] },
  { ...base, name: 'fat-partitions', seed: 103, fatShare: 0.01, partitions: 8_000 },
  { ...base, name: 'giant-topics', seed: 104, giantTopics: 3, topics: 120 },
  { ...base, name: 'jbod-skewed-dirs', seed: 105, logDirs: 4 },
  { ...base, name: 'scale-out-24+8', seed: 106, racks: [8, 8, 8], emptyBrokers: 8, partitions: 40_000 },
  {
    ...base,
    name: 'decommission-2-of-24',
    seed: 107,
    racks: [8, 8, 8],
    removeBrokers: 2,
    partitions: 40_000,
  },
  {
    ...base,
    name: 'many-brokers-few-partitions',
    seed: 108,
    racks: [40, 40, 40],
    partitions: 1_500,
    topics: 60,
  },
  {
    ...base,
    name: 'many-brokers-5k-partitions',
    seed: 111,
    racks: [30, 30, 30],
    partitions: 5_000,
    topics: 100,
  },
  {
    ...base,
    name: 'scale-out-mixed-capacity-18+6',
    seed: 112,
    racks: [8, 8, 8],
    // Four sizes over three racks: every rack gets every size (a mix aligned with the racks makes
    // the band infeasible whatever the planner does).
    capacityMix: [1, 2, 1.5, 1],
    emptyBrokers: 6,
    partitions: 30_000,
  },
  { ...base, name: 'drift-heavy-no-racks', seed: 109, noRacks: true, drift: 0.8, racks: [16] },
  {
    ...base,
    name: 'everything-at-once',
    seed: 110,
    racks: [9, 6, 3],
    rfWeights: [1, 2, 6, 1, 1],
    capacityMix: [1, 2, 1.5],
    fatShare: 0.005,
    giantTopics: 2,
    emptyBrokers: 3,
    partitions: 30_000,
  },
];
