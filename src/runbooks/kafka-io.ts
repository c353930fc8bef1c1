/**
 * The I/O the Kafka runbooks share: observing a cluster (the monitors' observer), the MSK
 * intelligent-rebalancing status, and carrying out a planned reassignment with the rebalance
 * executor (throttled batches, persisted state, resumable) and verifying it by reassignment
 * progress. Plans are written beside the executor state, so `kafka rebalance status/cancel`
 * work on a runbook's execution exactly as on a hand-run one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fromUnknown } from '../core/errors.js';
import { writeFilesAtomic } from '../core/fs.js';
import { formatBytes } from '../core/output.js';
import { formatReassignment, type Reassignment } from '../domain/reassignment.js';
import type { CapturedSnapshot } from '../probes/kafka-admin/snapshot.js';
import type { KafkaObservation } from '../services/kafka-monitors.js';
import { clusterConfig, observeLiveCluster } from '../services/kafka-observe.js';
import { executeRebalance, rebalanceStatus } from '../services/rebalance.js';
import type { ActResult, RunbookContext, VerifyResult } from './types.js';

/** Observes the cluster live (metadata, ISR, log dirs; MSK facts for MSK clusters). */
export function observe(ctx: RunbookContext, cluster: string): Promise<KafkaObservation> {
  return observeLiveCluster(ctx.config, cluster, ctx.kafkaDeps);
}

/** The live snapshot of an observation, with the capture's per-broker extras. */
export function captured(obs: KafkaObservation): CapturedSnapshot {
  return obs.snapshot as CapturedSnapshot;
}

/** Express intelligent rebalancing (`ACTIVE`/`PAUSED`), undefined for non-MSK clusters or when unreadable. */
export async function intelligentRebalancing(
  ctx: RunbookContext,
  cluster: string,
): Promise<{ status?: string; error?: string }> {
  const c = clusterConfig(ctx.config, cluster);
  if (!c.msk) return {};
  try {
    const status = await ctx.rebalanceDeps.mskRebalancing?.(c, ctx.config);
    return status ? { status } : {};
  } catch (e) {
    return { error: fromUnknown(e, 'DescribeClusterV2').message };
  }
}

/** A plan the runbook made, small enough to keep in the diagnosis. */
export interface RunbookPlan {
  plan: Reassignment;
  rollback: Reassignment;
}

/** Writes the plan and its rollback under `<stateDir>/runbooks/` and returns the plan path. */
export function writePlan(
  ctx: RunbookContext,
  cluster: string,
  label: string,
  p: RunbookPlan,
  report: unknown,
): string {
  const dir = join(ctx.stateDir, 'runbooks');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date(ctx.clock.now()).toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${cluster}-${label}-${stamp}.json`);
  const base = file.slice(0, -'.json'.length);
  writeFilesAtomic([
    { path: `${base}.report.json`, data: `${JSON.stringify(report, null, 1)}\n` },
    { path: `${base}.rollback.json`, data: formatReassignment(p.rollback) },
    { path: file, data: formatReassignment(p.plan) },
  ]);
  return file;
}

/** The exact command that executes a written plan by hand. */
export function executeCommand(cluster: string, planFile: string, throttle?: number): string {
  return `streamctl kafka rebalance execute --plan ${planFile} -c ${cluster}${throttle ? ` --throttle ${Math.round(throttle)}B/s` : ''} --yes`;
}

/** Writes the plan and runs it through the rebalance executor (already confirmed by the runbook). */
export async function executePlan(
  ctx: RunbookContext,
  cluster: string,
  label: string,
  p: RunbookPlan,
  report: unknown,
): Promise<ActResult> {
  const planFile = writePlan(ctx, cluster, label, p, report);
  ctx.progress({
    step: 'act',
    at: ctx.clock.now(),
    text: `plan written to ${planFile}; executing${ctx.throttleBytesPerSec ? ` at ${formatBytes(ctx.throttleBytesPerSec)}/s` : ' UNTHROTTLED'}`,
  });
  const result = await executeRebalance(
    ctx.config,
    {
      cluster,
      planFile,
      stateDir: ctx.stateDir,
      ...(ctx.throttleBytesPerSec ? { throttleBytesPerSec: ctx.throttleBytesPerSec } : {}),
      batching: {},
      dryRun: false,
      confirm: async () => {},
      emit: (e) => {
        const text =
          e.type === 'progress'
            ? `batch ${e.figures.batch}/${e.figures.batches}: ${e.figures.partitionsDone}/${e.figures.partitionsTotal} partitions done, ${formatBytes(e.figures.bytesMoved)} of ${formatBytes(e.figures.bytesTotal)} copied`
            : e.type === 'phase'
              ? `phase ${e.from} → ${e.to} (batch ${e.batch})${e.note ? `: ${e.note}` : ''}`
              : e.type === 'stall'
                ? `stalled ${Math.round(e.stalledMs / 1000)}s on ${e.partitions.slice(0, 5).join(', ')}`
                : e.type === 'warning'
                  ? `warning: ${e.message}`
                  : e.type;
        ctx.progress({ step: 'act', at: ctx.clock.now(), text });
      },
    },
    ctx.rebalanceDeps,
  );
  return {
    summary: `execution ${result.id} ended ${result.phase}: ${result.movesDone} move(s) done, ${formatBytes(result.bytesDone)} copied`,
    lines: [
      `plan: ${planFile}`,
      `state: ${result.stateFile}`,
      ...(result.error ? [`error: ${result.error}`] : []),
      ...result.warnings,
    ],
    data: { planFile, result },
  };
}

/** Verifies a reassignment: the execution finished, Kafka lists no reassignment, and ISR is whole again. */
export async function verifyReassignment(
  ctx: RunbookContext,
  cluster: string,
  act: ActResult,
): Promise<VerifyResult> {
  const phase = (act.data as { result?: { phase?: string } } | undefined)?.result?.phase;
  const status = await rebalanceStatus(ctx.config, { cluster, stateDir: ctx.stateDir }, ctx.rebalanceDeps);
  const obs = await observe(ctx, cluster);
  const urp = obs.snapshot.partitions.filter((p) => p.isr && p.isr.length < p.replicas.length).length;
  const lines = [
    `execution phase: ${phase ?? status.execution?.phase ?? 'unknown'}`,
    `reassignments in progress: ${status.ongoing.length}`,
    `under-replicated partitions: ${urp}`,
  ];
  for (const l of lines) ctx.progress({ step: 'verify', at: ctx.clock.now(), text: l });
  if (phase === 'done' && status.ongoing.length === 0) {
    return {
      outcome: urp === 0 ? 'healed' : 'unknown',
      summary:
        urp === 0
          ? 'reassignment complete; every partition fully in sync'
          : `reassignment complete; ${urp} partition(s) still catching up`,
      lines,
      data: { ongoing: status.ongoing.length, urp },
    };
  }
  return {
    outcome: 'failed',
    summary: `the execution ended ${phase ?? 'unknown'}: see \`streamctl kafka rebalance status -c ${cluster}\``,
    lines,
    data: { ongoing: status.ongoing.length, urp },
  };
}
