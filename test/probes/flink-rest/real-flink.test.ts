import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DirectTransport,
  evaluateSubtasks,
  type FlinkRestPort,
  flinkRestPort,
} from '../../../src/probes/flink-rest/index.js';
import type { FlinkPeerInfo } from '../../peers/kinds/flink.js';
import { cancelJob, runJob, waitForAllSubtasksRunning } from '../../peers/sandbox/flink/index.js';
import { usePeer } from '../../peers/use.js';
import { flinkRestContract } from './contract.js';

/**
 * The Flink REST port (direct transport) against a REAL Flink 1.20 cluster running the streamctl
 * test job: a healthy job and a user-code fail-and-restart loop. Deadline loops, no timed assertions.
 */

const DEADLINE_MS = 120_000;

async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + DEADLINE_MS;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`not true within ${DEADLINE_MS} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// One healthy job and one looping job for the whole file (the shared cluster's slots are shared by several files).
let flink: FlinkPeerInfo;
let port: FlinkRestPort;
let healthy: string;
let looping: string;

beforeAll(async () => {
  flink = await usePeer<FlinkPeerInfo>('flink', {});
  port = flinkRestPort(new DirectTransport(flink.restUrl));
  healthy = await runJob(flink.restUrl, flink.jarId, { mode: 'healthy', version: 'rest-probe-v1' });
  looping = await runJob(flink.restUrl, flink.jarId, {
    mode: 'user-error',
    version: 'rest-probe-v2',
    args: ['--fail-after', '10'],
  });
  await waitForAllSubtasksRunning(flink.restUrl, healthy, DEADLINE_MS);
});

afterAll(async () => {
  for (const id of [healthy, looping]) if (id) await cancelJob(flink.restUrl, id).catch(() => undefined);
});

flinkRestContract('real Flink 1.20 (direct transport)', async () => ({ port, runningJobId: healthy }));

describe('flinkRestPort against a real Flink 1.20 cluster', { timeout: 300_000 }, () => {
  it('lists both jobs in /jobs and /jobs/overview', async () => {
    const ids = (await port.jobs()).map((j) => j.id);
    const overview = await port.jobsOverview();

    expect(ids).toEqual(expect.arrayContaining([healthy, looping]));
    expect(overview.find((j) => j.id === healthy)).toMatchObject({
      name: 'orders-enricher rest-probe-v1',
      state: 'RUNNING',
      totalSubtasks: 2,
    });
  });

  it('reads the healthy job and judges every subtask RUNNING', async () => {
    const job = await port.job(healthy);

    expect(job.vertices.map((v) => v.name)).toEqual(['Source: orders-source', 'Enrich -> discard: Writer']);
    expect(evaluateSubtasks(job)).toMatchObject({ kind: 'all-running', reason: 'all 2 subtasks RUNNING' });
  });

  it('reads the loop’s NPE with its user frame from /exceptions', async () => {
    const entry = await eventually(
      'an exception in the history',
      async () => (await port.exceptions(looping, 5)).entries[0],
    );

    expect(entry.exceptionName).toBe('java.lang.NullPointerException');
    expect(entry.stacktrace.split('\n')[1]).toMatch(
      /^\tat com\.acme\.streamctl\.testjob\.Enrich\.map\(Enrich\.java:\d+\)$/,
    );
    expect(entry.taskName).toMatch(/^Enrich -> discard: Writer \(1\/1\)/);
  });

  it('sees numRestarts grow while the loop runs', async () => {
    const first = await eventually('a restart counter', () => port.restartCount(looping));
    const later = await eventually('the restart counter growing', async () => {
      const now = await port.restartCount(looping);
      return now && now.value > first.value ? now : undefined;
    });

    expect(first.metric).toBe('numRestarts');
    expect(later.value).toBeGreaterThan(first.value);
  });

  it('judges the looping job failed or in progress, never all-running while it restarts', async () => {
    const verdict = await eventually('a failed verdict', async () => {
      const v = evaluateSubtasks(await port.job(looping));
      return v.kind === 'failed' ? v : undefined;
    });

    expect(verdict.reason).toMatch(/RESTARTING|FAILED|CANCELED|CANCELING|FAILING/);
  });

  it('reads completed checkpoints of the healthy job under the cluster’s checkpoint dir', async () => {
    const stats = await eventually('a completed checkpoint', async () => {
      const c = await port.checkpoints(healthy);
      return c.latestCompleted ? c : undefined;
    });

    expect(stats.counts.completed).toBeGreaterThanOrEqual(1);
    expect(stats.latestCompleted?.externalPath).toContain(`${flink.checkpointDir}/${healthy}/chk-`);
    expect(stats.latestCompleted?.isSavepoint).toBe(false);
  });

  it('reads back-pressure of a vertex, the overview and the config', async () => {
    const job = await port.job(healthy);
    const bp = await port.backpressure(healthy, job.vertices[1]?.id ?? '');
    const overview = await port.overview();
    const config = await port.config();

    expect(['ok', 'deprecated']).toContain(bp.status);
    expect(overview).toMatchObject({
      taskManagers: 1,
      slotsTotal: flink.taskSlots,
      flinkVersion: flink.flinkVersion,
    });
    expect(config.flinkVersion).toBe(flink.flinkVersion);
    expect(config.features['web-submit']).toBe(true);
  });
});
