/**
 * Runbook: brokers were added and hold nothing yet. Diagnose: which brokers are new (empty, or
 * named with --brokers), the MSK intelligent-rebalancing status (while ACTIVE, MSK refuses manual
 * reassignments — and on Express it fills new brokers itself), and a rebalance plan that fills
 * them: moves, bytes against the lower bound, spreads before/after and the duration at the
 * throttle. Act: execute the plan with the rebalance executor, throttled; verify by its progress.
 */
import { formatBytes, formatDuration } from '../core/output.js';
import type { Severity } from '../core/severity.js';
import { parseBrokerIds } from '../rebalancer/options.js';
import { planAndReport } from '../rebalancer/report.js';
import { clusterConfig } from '../services/kafka-observe.js';
import {
  captured,
  executeCommand,
  executePlan,
  intelligentRebalancing,
  observe,
  type RunbookPlan,
  verifyReassignment,
  writePlan,
} from './kafka-io.js';
import type { FindingLine, Runbook, RunbookOption } from './types.js';

export interface AddBrokersDiagnosis {
  cluster: string;
  brokerType: string;
  mskArn?: string;
  brokers: Array<{ id: number; rack?: string; replicas: number; usedBytes: number }>;
  newBrokers: number[];
  /** How the new brokers were found. */
  newBrokersFrom: 'flag' | 'empty-brokers';
  intelligentRebalancing?: string;
  intelligentRebalancingError?: string;
  throttleBytesPerSec: number | null;
  figures?: {
    partitionsChanged: number;
    replicaMoves: number;
    leaderOnlyChanges: number;
    movedBytes: number;
    lowerBoundBytes: number;
    movedOverLowerBound: number | null;
    utilisationSpread: { before: number; after: number };
    replicaCountSpread: { before: number; after: number };
    estimatedDurationMs: number | null;
    batches: number;
  };
  warnings: string[];
  plan?: RunbookPlan;
}

/** Live brokers that hold no replica: the ones just added (pure). */
export function emptyBrokers(
  brokers: Array<{ id: number; offline?: boolean }>,
  partitions: Array<{ replicas: number[] }>,
): number[] {
  const used = new Set<number>();
  for (const p of partitions) for (const r of p.replicas) used.add(r);
  return brokers
    .filter((b) => !b.offline && !used.has(b.id))
    .map((b) => b.id)
    .sort((a, b) => a - b);
}

export const addBrokers: Runbook<AddBrokersDiagnosis> = {
  id: 'add-brokers',
  title: 'Fill newly added Kafka brokers',
  target: 'cluster',
  when: 'Brokers were added to a cluster and hold no partitions yet (Kafka never moves existing partitions by itself).',
  steps: {
    diagnose: 'Find the new brokers and plan a rebalance that fills them',
    explain: 'Explain the plan’s figures and duration, and the MSK interlock',
    confirm: 'Confirm the throttled execution',
    act: 'Execute the plan in throttled batches',
    verify: 'Follow the reassignment progress to the end',
  },

  async diagnose(ctx, cluster) {
    const c = clusterConfig(ctx.config, cluster);
    const obs = await observe(ctx, cluster);
    const snap = captured(obs);
    const flag = ctx.params.brokers;
    const newBrokers = flag ? parseBrokerIds(flag, '--brokers') : emptyBrokers(snap.brokers, snap.partitions);
    const counts = new Map<number, { replicas: number; bytes: number }>();
    for (const p of snap.partitions)
      for (const r of p.replicas) {
        const e = counts.get(r) ?? { replicas: 0, bytes: 0 };
        e.replicas++;
        e.bytes += p.sizeBytes;
        counts.set(r, e);
      }
    const ir = await intelligentRebalancing(ctx, cluster);
    const d: AddBrokersDiagnosis = {
      cluster: c.name,
      brokerType: obs.brokerType,
      ...(c.msk ? { mskArn: c.msk.arn } : {}),
      brokers: snap.brokers
        .filter((b) => !b.offline)
        .map((b) => ({
          id: b.id,
          ...(b.rack ? { rack: b.rack } : {}),
          replicas: counts.get(b.id)?.replicas ?? 0,
          usedBytes: counts.get(b.id)?.bytes ?? 0,
        })),
      newBrokers,
      newBrokersFrom: flag ? 'flag' : 'empty-brokers',
      ...(ir.status ? { intelligentRebalancing: ir.status } : {}),
      ...(ir.error ? { intelligentRebalancingError: ir.error } : {}),
      throttleBytesPerSec: ctx.throttleBytesPerSec ?? null,
      warnings: [],
    };
    if (newBrokers.length === 0) return d;
    const { report, plan, rollback } = planAndReport(snap, {
      plan: { addBrokers: newBrokers.map((id) => ({ id })) },
      ...(ctx.throttleBytesPerSec ? { throttleBytesPerSec: ctx.throttleBytesPerSec } : {}),
    });
    const f = report.figures;
    d.figures = {
      partitionsChanged: f.partitionsChanged,
      replicaMoves: f.replicaMoves,
      leaderOnlyChanges: f.leaderOnlyChanges,
      movedBytes: f.movedBytes,
      lowerBoundBytes: f.lowerBoundBytes,
      movedOverLowerBound: f.movedOverLowerBound,
      utilisationSpread: { before: f.utilisationSpread.before, after: f.utilisationSpread.after },
      replicaCountSpread: { before: f.replicaCountSpread.before, after: f.replicaCountSpread.after },
      estimatedDurationMs: f.estimatedDurationMs,
      batches: f.batches,
    };
    d.warnings = report.warnings;
    if (plan.partitions.length) d.plan = { plan, rollback };
    return d;
  },

  findings(d): FindingLine[] {
    const out: FindingLine[] = [];
    if (d.newBrokers.length === 0)
      out.push({
        severity: 'OK',
        text: 'no empty broker found: nothing to fill (name brokers with --brokers)',
      });
    else
      out.push({
        severity: 'WARNING',
        text: `new broker(s) ${d.newBrokers.join(', ')} (${d.newBrokersFrom === 'flag' ? 'from --brokers' : 'they hold no replicas'}); ${d.brokers.length} live broker(s)`,
      });
    if (d.intelligentRebalancing === 'ACTIVE')
      out.push({
        severity: 'WARNING',
        text: 'MSK intelligent rebalancing is ACTIVE: MSK refuses manual reassignments while it runs, and it fills new brokers itself',
      });
    if (d.intelligentRebalancingError)
      out.push({
        severity: 'UNKNOWN',
        text: `intelligent rebalancing status unreadable: ${d.intelligentRebalancingError}`,
      });
    const f = d.figures;
    if (f) {
      out.push({
        severity: 'OK',
        text: `plan: ${f.partitionsChanged} partition(s), ${f.replicaMoves} replica move(s), ${formatBytes(f.movedBytes)} moved (lower bound ${formatBytes(f.lowerBoundBytes)}, ratio ${f.movedOverLowerBound === null ? '-' : f.movedOverLowerBound.toFixed(2)})`,
      });
      out.push({
        severity: 'OK',
        text: `disk spread ${f.utilisationSpread.before.toFixed(2)} → ${f.utilisationSpread.after.toFixed(2)}, replica spread ${f.replicaCountSpread.before.toFixed(2)} → ${f.replicaCountSpread.after.toFixed(2)}; ${f.batches} batch(es)`,
      });
      out.push({
        severity: 'OK',
        text:
          f.estimatedDurationMs === null
            ? 'duration: unknown without a throttle'
            : `duration about ${formatDuration(f.estimatedDurationMs)} at ${formatBytes(d.throttleBytesPerSec)}/s`,
      });
    }
    for (const w of d.warnings) out.push({ severity: 'WARNING', text: w });
    const order: Record<Severity, number> = { CRITICAL: 0, UNKNOWN: 1, WARNING: 2, OK: 3 };
    return out.sort((a, b) => order[a.severity] - order[b.severity]);
  },

  options: addBrokersOptions,

  async act(ctx, d, option) {
    if (!d.plan) return { summary: 'nothing changed', lines: option.consequences };
    const report = {
      runbook: 'add-brokers',
      cluster: d.cluster,
      newBrokers: d.newBrokers,
      figures: d.figures,
    };
    if (option.id === 'execute') return executePlan(ctx, d.cluster, 'add-brokers', d.plan, report);
    if (option.id === 'plan-only') {
      const file = writePlan(ctx, d.cluster, 'add-brokers', d.plan, report);
      const cmd = executeCommand(d.cluster, file, ctx.throttleBytesPerSec);
      return {
        summary: `plan written to ${file}`,
        lines: ['Execute it with:', cmd],
        data: { planFile: file, command: cmd },
      };
    }
    return { summary: 'nothing changed', lines: option.instructions ?? option.consequences };
  },

  async verify(ctx, d, option, act) {
    if (option.id !== 'execute') return { outcome: 'not-needed', summary: 'nothing was executed', lines: [] };
    return verifyReassignment(ctx, d.cluster, act);
  },
};

/** The options given the diagnosis (pure). Intelligent rebalancing ACTIVE blocks manual moves: pause it first. */
export function addBrokersOptions(d: AddBrokersDiagnosis): RunbookOption[] {
  const active = d.intelligentRebalancing === 'ACTIVE';
  const canExecute = d.plan !== undefined && !active;
  const f = d.figures;
  const why =
    d.newBrokers.length === 0
      ? 'no new broker to fill'
      : !d.plan
        ? 'the plan moves nothing'
        : 'MSK intelligent rebalancing is ACTIVE: pause it first';
  return [
    {
      id: 'execute',
      title: `Execute the plan${d.throttleBytesPerSec ? ` at ${formatBytes(d.throttleBytesPerSec)}/s` : ' UNTHROTTLED'}`,
      mode: 'automatic',
      destructive: true,
      available: canExecute,
      ...(canExecute ? {} : { unavailableReason: why }),
      recommended: canExecute,
      consequences: [
        f
          ? `${f.replicaMoves} replica move(s), ${formatBytes(f.movedBytes)} copied in ${f.batches} batch(es)${f.estimatedDurationMs === null ? '' : `, about ${formatDuration(f.estimatedDurationMs)}`}.`
          : 'Moves replicas onto the new brokers.',
        d.throttleBytesPerSec
          ? 'The throttle must exceed the produce rate into the moving partitions, or they never catch up.'
          : 'UNTHROTTLED: replication can starve producers and consumers.',
        'Leadership moves to the new brokers at the end (preferred-leader election). Cancel with `streamctl kafka rebalance cancel`.',
      ],
    },
    {
      id: 'plan-only',
      title: 'Write the plan and print the command to execute it later',
      mode: 'automatic',
      destructive: false,
      available: d.plan !== undefined,
      ...(d.plan ? {} : { unavailableReason: why }),
      recommended: false,
      consequences: [
        'Nothing moves now: the plan and its rollback are written under the state dir.',
        'Run the printed `streamctl kafka rebalance execute …` in a quiet hour.',
      ],
    },
    {
      id: 'pause-intelligent-rebalancing',
      title:
        active && d.brokerType === 'express'
          ? 'Let MSK intelligent rebalancing fill them (or pause it to plan by hand)'
          : 'Pause MSK intelligent rebalancing',
      mode: 'manual',
      destructive: false,
      available: active,
      ...(active ? {} : { unavailableReason: 'intelligent rebalancing is not ACTIVE on this cluster' }),
      recommended: active,
      consequences: [
        'While ACTIVE, MSK rebalances Express brokers itself (including new ones) and refuses manual reassignments.',
        'Pausing hands balance to you until it is resumed.',
      ],
      instructions: [
        `aws kafka describe-cluster-v2 --cluster-arn ${d.mskArn ?? '<arn>'} --query ClusterInfo.CurrentVersion`,
        `aws kafka update-rebalancing --cluster-arn ${d.mskArn ?? '<arn>'} --current-version <CurrentVersion> --rebalancing Status=PAUSED`,
        `then: streamctl runbook add-brokers ${d.cluster}`,
      ],
    },
    {
      id: 'none',
      title: 'Nothing to do now',
      mode: 'none',
      destructive: false,
      available: true,
      recommended: d.newBrokers.length === 0,
      consequences: ['Nothing changes.'],
    },
  ];
}
