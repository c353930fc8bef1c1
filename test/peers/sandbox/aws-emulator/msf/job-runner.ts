/**
 * Runs the current version of an application as a real job: builds the JobSpec from the version's
 * `emulator.job` properties, submits it, and waits until the job and all its subtasks are RUNNING
 * — the moment MSF reports RUNNING. Stops early (Superseded) when another operation took the
 * application over, cancelling a job that is no longer wanted.
 */
import type { FlinkBackend, JobSpec } from '../flink-backend.js';
import { jobDefinition } from './config.js';
import { currentConfig, type EmulatedApp } from './model.js';

const TERMINAL_JOB_STATES = new Set(['FAILED', 'CANCELED', 'FINISHED', 'SUSPENDED']);

/** Thrown when a later operation (Force stop, rollback) bumped the application's epoch. */
export class Superseded extends Error {}

export function checkEpoch(app: EmulatedApp, epoch: number): void {
  if (app.epoch !== epoch) throw new Superseded();
}

export interface RunOptions {
  backend: FlinkBackend;
  nowMs: () => number;
  pollMs: number;
  runningTimeoutMs: number;
}

export async function runCurrentVersion(
  o: RunOptions,
  app: EmulatedApp,
  epoch: number,
  savepointPath: string | undefined,
): Promise<void> {
  const config = currentConfig(app);
  const def = jobDefinition(config, app.versionId);
  const spec: JobSpec = {
    appName: app.name,
    versionLabel: def.versionLabel,
    mode: def.mode,
    args: def.args,
    allowNonRestoredState: app.allowNonRestoredState,
    parallelism: config.parallelism.Parallelism,
    ...(savepointPath !== undefined ? { savepointPath } : {}),
  };
  const { jobId } = await o.backend.startJob(spec);
  if (app.epoch !== epoch) {
    await o.backend.cancelJob(jobId).catch(() => undefined);
    throw new Superseded();
  }
  const job = { jobId, versionId: app.versionId, startedMs: o.nowMs() };
  app.job = job;
  app.pastJobs.push(job);
  const deadline = Date.now() + o.runningTimeoutMs;
  for (;;) {
    checkEpoch(app, epoch);
    const state = await o.backend.jobState(jobId);
    if (state === 'RUNNING' && (await (o.backend.allSubtasksRunning?.(jobId) ?? true))) return;
    if (state !== undefined && TERMINAL_JOB_STATES.has(state)) {
      app.job = undefined;
      throw new Error(`Flink job ${jobId} ended ${state} before it was running`);
    }
    if (Date.now() > deadline) {
      await o.backend.cancelJob(jobId).catch(() => undefined);
      app.job = undefined;
      throw new Error(
        `Flink job ${jobId} did not reach RUNNING within ${o.runningTimeoutMs} ms (state ${state})`,
      );
    }
    await new Promise((r) => setTimeout(r, o.pollMs));
  }
}
