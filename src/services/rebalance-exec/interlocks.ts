/**
 * Checks before a plan touches a live cluster (pure: the executor gathers the facts). Each check
 * returns a value naming what is wrong; `interlockError` turns one into the refusal the operator
 * sees (docs/design.md §6: one early return per named reason).
 *
 *   - stale plan: a partition's live replicas differ from the plan's assumed "before" (its
 *     rollback file), or the partition no longer exists, or a target broker is not in the cluster;
 *   - MSK Express intelligent rebalancing ACTIVE: MSK refuses manual reassignments meanwhile;
 *   - reassignments in progress that this execution did not start;
 *   - another streamctl action (the healer, another execute) holding the cluster's lock.
 */
import { refused, StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import type { Reassignment } from '../../domain/reassignment.js';
import type { OngoingReassignment } from '../../probes/kafka-admin/port.js';
import type { TargetLock } from '../../store/port.js';

/** A topic-partition key. */
export const tpKey = (topic: string, partition: number): string => `${topic}-${partition}`;

/** One partition whose live state does not match what the plan assumed. */
export interface StalePartition {
  topic: string;
  partition: number;
  /** The plan's assumed "before" (null: the plan file carries none). */
  expected: number[] | null;
  /** Live replicas (null: the partition no longer exists). */
  actual: number[] | null;
  reason: 'moved-since-plan' | 'partition-gone' | 'unknown-broker';
}

/** A refusal to execute, as a value. */
export type Interlock =
  | { kind: 'stale-plan'; partitions: StalePartition[] }
  | { kind: 'msk-rebalancing-active'; clusterArn: string }
  | { kind: 'foreign-reassignments'; partitions: OngoingReassignment[] }
  | { kind: 'locked'; holder: TargetLock; store: string }
  | { kind: 'other-execution'; planFile: string; phase: string };

/** The outcome of comparing a plan with the live assignment. */
export interface PlanCheck {
  stale: StalePartition[];
  /** Partitions whose live replicas already equal the plan's target (nothing to do). */
  alreadyInPlace: Array<{ topic: string; partition: number }>;
  /** Partitions to change, with their live replicas (the recorded "before"). */
  toChange: Array<{ topic: string; partition: number; current: number[]; target: number[] }>;
}

const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Compares the plan with the live assignment. `assumedBefore` is the plan's rollback file (the
 * assignment the planner saw); without one, the live assignment is taken as the "before" and only
 * vanished partitions and unknown brokers make the plan stale.
 */
export function checkPlanAgainstLive(
  plan: Reassignment,
  assumedBefore: Reassignment | undefined,
  live: ReadonlyMap<string, number[]>,
  liveBrokers: ReadonlySet<number>,
): PlanCheck {
  const before = new Map<string, number[]>();
  for (const p of assumedBefore?.partitions ?? []) before.set(tpKey(p.topic, p.partition), p.replicas);
  const out: PlanCheck = { stale: [], alreadyInPlace: [], toChange: [] };
  for (const p of plan.partitions) {
    const k = tpKey(p.topic, p.partition);
    const actual = live.get(k);
    const expected = before.get(k) ?? null;
    if (actual === undefined) {
      out.stale.push({
        topic: p.topic,
        partition: p.partition,
        expected,
        actual: null,
        reason: 'partition-gone',
      });
      continue;
    }
    if (same(actual, p.replicas)) {
      // Already applied (by an earlier run or by hand): nothing to move, not a reason to refuse.
      out.alreadyInPlace.push({ topic: p.topic, partition: p.partition });
      continue;
    }
    if (p.replicas.some((b) => !liveBrokers.has(b))) {
      out.stale.push({ topic: p.topic, partition: p.partition, expected, actual, reason: 'unknown-broker' });
      continue;
    }
    if (expected !== null && !same(expected, actual)) {
      out.stale.push({
        topic: p.topic,
        partition: p.partition,
        expected,
        actual,
        reason: 'moved-since-plan',
      });
      continue;
    }
    out.toChange.push({ topic: p.topic, partition: p.partition, current: actual, target: p.replicas });
  }
  return out;
}

const list = (xs: string[], max = 10) =>
  xs.length > max ? `${xs.slice(0, max).join(', ')} and ${xs.length - max} more` : xs.join(', ');

/** The operator-facing refusal for an interlock (exit 65 for a stale plan, 75 otherwise). */
export function interlockError(i: Interlock): StreamctlError {
  switch (i.kind) {
    case 'stale-plan': {
      const lines = i.partitions.map((p) => {
        const name = tpKey(p.topic, p.partition);
        switch (p.reason) {
          case 'partition-gone':
            return `${name} no longer exists`;
          case 'unknown-broker':
            return `${name} targets a broker that is not in the cluster`;
          default:
            return `${name} is on [${p.actual!.join(',')}], the plan assumed [${p.expected!.join(',')}]`;
        }
      });
      return new StreamctlError(
        'STALE_PLAN',
        `the plan is stale: ${i.partitions.length} partition(s) changed since it was made: ${list(lines)}`,
        {
          exitCode: Sysexit.DATAERR,
          hint: 'Plan again from a fresh snapshot (`streamctl kafka snapshot`, then `kafka rebalance plan`); nothing was changed.',
        },
      );
    }
    case 'msk-rebalancing-active':
      return refused(
        `MSK intelligent rebalancing is ACTIVE on ${i.clusterArn}: MSK refuses manual partition reassignments while it runs`,
        `Pause it first: aws kafka update-rebalancing --cluster-arn ${i.clusterArn} --current-version <CurrentVersion> --rebalancing Status=PAUSED ` +
          '(UpdateRebalancing {Rebalancing:{Status:"PAUSED"}}; CurrentVersion from `aws kafka describe-cluster-v2`), then run this again; resume it afterwards with Status=ACTIVE if you want it back.',
      );
    case 'foreign-reassignments':
      return refused(
        `${i.partitions.length} partition reassignment(s) already in progress that this execution did not start: ${list(i.partitions.map((p) => tpKey(p.topic, p.partition)))}`,
        'Wait for them to finish (`kafka-reassign-partitions.sh --list`), or cancel them with the tool that started them.',
      );
    case 'locked':
      return refused(
        `${i.holder.owner} (pid ${i.holder.pid} on ${i.holder.host}, since ${new Date(i.holder.acquiredAt).toISOString()}) is acting on this cluster`,
        `Wait for it to finish or stop it. The lock is ${i.holder.target} in the store ${i.store}; if its holder is gone for good, run again with --force-unlock.`,
      );
    case 'other-execution':
      return refused(
        `another rebalance (${i.planFile}) is unfinished on this cluster (phase ${i.phase})`,
        `Resume it with \`kafka rebalance execute --plan ${i.planFile}\`, or cancel it with \`kafka rebalance cancel\`.`,
      );
  }
}
