import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamctlError } from '../../../src/core/errors.js';
import { DirectTransport, flinkRestPort } from '../../../src/probes/flink-rest/index.js';
import { selfManagedAdmin } from '../../../src/services/healer/self-managed.js';
import type { FlinkPeerInfo } from '../../peers/kinds/flink.js';
import {
  cancelJob,
  jobState,
  runJob,
  triggerSavepoint,
  uploadJar,
  waitForAllSubtasksRunning,
} from '../../peers/sandbox/flink/index.js';
import { usePeer } from '../../peers/use.js';

/**
 * The self-managed redeploy's REST calls against the shared real Flink 1.20 cluster: list jars,
 * cancel a job and wait until it is terminal, run the previous jar from a savepoint.
 */
describe('selfManagedAdmin on real Flink', () => {
  let flink: FlinkPeerInfo;
  const jobs: string[] = [];

  beforeAll(async () => {
    flink = await usePeer<FlinkPeerInfo>('flink', {});
  });
  afterAll(async () => {
    for (const id of jobs) await cancelJob(flink.restUrl, id).catch(() => undefined);
  });

  it('cancel, then the previous jar from the savepoint: the new job restores that savepoint', async () => {
    const admin = selfManagedAdmin(flink.restUrl);
    const previous = await uploadJar(flink.restUrl, flink.jobJar);
    const current = await uploadJar(flink.restUrl, flink.jobJar);
    const listed = (await admin.jars()).map((j) => j.id);
    expect(listed.indexOf(current)).toBeLessThan(listed.indexOf(previous));

    const bad = await runJob(flink.restUrl, current, { mode: 'healthy', version: 'sm-redeploy-test' });
    jobs.push(bad);
    await waitForAllSubtasksRunning(flink.restUrl, bad);
    const savepoint = await triggerSavepoint(flink.restUrl, bad, flink.savepointDir);

    await admin.cancel(bad);
    expect(await jobState(flink.restUrl, bad)).toBe('CANCELED');
    const next = await admin.runJar(previous, { savepointPath: savepoint });
    jobs.push(next);
    await waitForAllSubtasksRunning(flink.restUrl, next);

    const cps = await flinkRestPort(new DirectTransport(flink.restUrl)).checkpoints(next);
    expect(cps.restored).toMatchObject({ isSavepoint: true });
    expect(cps.restored?.externalPath).toContain(savepoint.replace(/^file:/, ''));
  }, 300_000);

  it('an unknown jar is a typed refusal, not a crash', async () => {
    const err = await selfManagedAdmin(flink.restUrl)
      .runJar('no-such-jar.jar', {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamctlError);
    expect((err as StreamctlError).message).toMatch(/POST \/jars\/no-such-jar\.jar\/run: HTTP \d{3}/);
  });
});
