import { GOAL, GOAL_NAMES, inOrig, type Model } from './model.js';

/** Per goal: the bytes of the plan's final replica moves made on its behalf, and how many. */
export interface GoalSpend {
  moves: number;
  bytes: number;
}

/** Why a partition changes, one reason per new replica ("disk: 4 → 11") or reorder ("leader order: 4 → 7"). */
export interface ExplainedPlan {
  /** Reasons per changed partition index. */
  reasons: Map<number, string[]>;
  /** Spend per goal name (GOAL_NAMES). */
  spend: Record<(typeof GOAL_NAMES)[number], GoalSpend>;
}

/**
 * Reads the planner's move log backwards into reasons: each replica the plan adds is credited to
 * the goal of the move that made the copy, the first of its chain (a replica moved twice counts
 * once: a disk move re-targeted to a missing rack is the disk goal's copy, a rack repair that the
 * disk goal later sends elsewhere is rack repair's), named by the broker it originally left and
 * the broker it ends on. Reorders that change the preferred leader are credited to the leader goal.
 */
export function explainPlan(m: Model): ExplainedPlan {
  const byPartition = new Map<number, number[]>();
  for (let i = 0; i < m.log.length; i += 4) {
    const p = m.log[i]!;
    const list = byPartition.get(p);
    if (list) list.push(i);
    else byPartition.set(p, [i]);
  }
  const spend = Object.fromEntries(
    GOAL_NAMES.map((g) => [g, { moves: 0, bytes: 0 }]),
  ) as ExplainedPlan['spend'];
  const reasons = new Map<number, string[]>();
  for (const [p, entries] of byPartition) {
    const out: string[] = [];
    for (let i = m.off[p]!; i < m.off[p + 1]!; i++) {
      const to = m.rep[i]!;
      if (inOrig(m, p, to)) continue;
      const e = lastMoveOnto(m, entries, to);
      if (e < 0) continue;
      const first = chainStart(m, entries, e);
      const goal = GOAL_NAMES[m.log[first + 3]!]!;
      spend[goal].moves++;
      spend[goal].bytes += m.size[p]!;
      out.push(`${goal}: ${m.brokerId[m.log[first + 1]!]} → ${m.brokerId[to]}`);
    }
    const first = m.rep[m.off[p]!]!;
    const firstBefore = m.orig[m.off[p]!]!;
    if (first !== firstBefore && inOrig(m, p, first) && entries.some((e) => m.log[e + 3] === GOAL.leaders)) {
      out.push(`${GOAL_NAMES[GOAL.leaders]}: ${m.brokerId[firstBefore]} → ${m.brokerId[first]}`);
      spend[GOAL_NAMES[GOAL.leaders]].moves++;
    }
    if (out.length) reasons.set(p, out);
  }
  return { reasons, spend };
}

/** The last replica move (not a reorder) of the partition onto broker `to`, or −1. */
function lastMoveOnto(m: Model, entries: number[], to: number): number {
  for (let k = entries.length - 1; k >= 0; k--) {
    const e = entries[k]!;
    if (m.log[e + 3] !== GOAL.leaders && m.log[e + 2] === to) return e;
  }
  return -1;
}

/**
 * The first move of the chain ending at entry e: the one that left a snapshot broker, i.e. the
 * move that made the copy (later moves of the same replica only chose where it lands).
 */
function chainStart(m: Model, entries: number[], e: number): number {
  let start = e;
  const p = m.log[e]!;
  for (let k = entries.indexOf(e) - 1; k >= 0 && !inOrig(m, p, m.log[start + 1]!); k--) {
    const x = entries[k]!;
    if (m.log[x + 3] !== GOAL.leaders && m.log[x + 2] === m.log[start + 1]) start = x;
  }
  return start;
}
