import { CreateApplicationCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactString } from '../../../src/core/redact.js';
import {
  ApplicationBusyError,
  ConcurrentModificationError,
  DashboardUnavailableError,
} from '../../../src/probes/managed-flink/errors.js';
import { createManagedFlinkProbe } from '../../../src/probes/managed-flink/index.js';
import type { ManagedFlinkPort } from '../../../src/probes/managed-flink/port.js';
import { startEmulatorWithClients } from '../emulator.js';

/**
 * The MSF adapter end to end: streamctl's client factory → real SDK (AWS JSON 1.1) → the local
 * AWS emulator's kinesisanalyticsv2 over an in-memory Flink backend. One application is taken
 * through a realistic life: start, snapshot, a bad deploy, the dashboard while busy, a rollback,
 * a stale-version rollback, a forced stop, a restart from a named snapshot.
 */
const APP = 'orders-enricher';
let env: Awaited<ReturnType<typeof startEmulatorWithClients>>;
let msf: ManagedFlinkPort;

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  env = await startEmulatorWithClients();
  msf = createManagedFlinkProbe(env.clients.kinesisAnalytics(), { region: 'us-east-1' });
  await env.clients.kinesisAnalytics().send(
    new CreateApplicationCommand({
      ApplicationName: APP,
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: 'arn:aws:iam::123456789012:role/msf-test',
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: {
            S3ContentLocation: { BucketARN: 'arn:aws:s3:::jars', FileKey: 'orders-enricher.jar' },
          },
        },
        EnvironmentProperties: {
          PropertyGroups: [
            { PropertyGroupId: 'emulator.job', PropertyMap: { mode: 'healthy', version: 'v1' } },
          ],
        },
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: true },
      },
    }),
  );
});

afterAll(async () => {
  await env?.stop();
});

describe('Managed Flink adapter through the AWS emulator', () => {
  it('lists and describes a new application', async () => {
    const apps = await msf.listApplications();
    expect(apps.find((a) => a.applicationName === APP)).toMatchObject({
      status: 'READY',
      versionId: 1,
      runtime: 'FLINK-1_20',
    });
    const d = await msf.describeApplication(APP);
    expect(d).toMatchObject({ status: 'READY', versionId: 1, snapshotsEnabled: true, kind: 'managed' });
    expect(d.logTargets[0]?.logGroupName).toBeTruthy();
    expect(d.environmentProperties['emulator.job']).toEqual({ mode: 'healthy', version: 'v1' });
  });

  it('starts without restoring, and the operation reads back SUCCESSFUL', async () => {
    const { operationId } = await msf.start(APP, { restore: 'SKIP_RESTORE_FROM_SNAPSHOT' });
    await env.emu.control.settled();
    expect((await msf.describeApplication(APP, { tags: false })).status).toBe('RUNNING');
    expect(operationId).toBeTruthy();
    expect(await msf.describeOperation(APP, operationId as string)).toMatchObject({
      operation: 'StartApplication',
      status: 'SUCCESSFUL',
    });
  });

  it('creates a presigned dashboard URL and registers it as a secret', async () => {
    const { url } = await msf.createPresignedUrl(APP, { sessionSeconds: 1800 });
    expect(url.startsWith(`${env.emu.endpoint}/flinkdashboard`)).toBe(true);
    expect(redactString(`url=${url}`)).not.toContain(url);
  });

  it('takes a snapshot and lists it', async () => {
    await msf.createSnapshot(APP, 'before-v2');
    await env.emu.control.settled();
    expect((await msf.listSnapshots(APP)).find((s) => s.name === 'before-v2')).toMatchObject({
      status: 'READY',
      versionId: 1,
    });
  });

  it('deploys a new version (environment properties) against the current version id', async () => {
    const r = await msf.updateEnvironment(APP, {
      currentVersionId: 1,
      propertyGroups: { 'emulator.job': { mode: 'user-error', version: 'v2' } },
    });
    await env.emu.control.settled();
    expect(r.versionId).toBe(2);
    const d = await msf.describeApplication(APP, { tags: false });
    expect([d.versionId, d.versionUpdatedFrom]).toEqual([2, 1]);
    expect((await msf.listVersions(APP)).map((v) => v.versionId)).toEqual([2, 1]);
  });

  it('reports the dashboard unavailable with the status while AWS has the app UPDATING', async () => {
    env.emu.control.forceStatus(APP, 'UPDATING', 60_000);
    const err = await caught(msf.createPresignedUrl(APP, { sessionSeconds: 1800 }));
    expect(err).toBeInstanceOf(DashboardUnavailableError);
    expect((err as DashboardUnavailableError).status).toBe('UPDATING');
    env.emu.control.advanceClock(61_000);
  });

  it('refuses a rollback with a stale version id, then rolls back with the current one', async () => {
    expect(await caught(msf.rollback(APP, { currentVersionId: 1 }))).toBeInstanceOf(
      ConcurrentModificationError,
    );
    const { operationId } = await msf.rollback(APP, { currentVersionId: 2 });
    await env.emu.control.settled();
    const d = await msf.describeApplication(APP, { tags: false });
    expect(d.status).toBe('RUNNING');
    expect(d.versionRolledBackFrom).toBe(2);
    const ops = await msf.listOperations(APP);
    expect(ops[0]).toMatchObject({ operationId, operation: 'RollbackApplication' });
  });

  it('force-stops, refuses a second stop while READY, and restarts from the named snapshot', async () => {
    await msf.stop(APP, { force: true });
    await env.emu.control.settled();
    expect((await msf.describeApplication(APP, { tags: false })).status).toBe('READY');
    const busy = await caught(msf.stop(APP, { force: false }));
    expect(busy).toBeInstanceOf(ApplicationBusyError);
    await msf.start(APP, { restore: { snapshotName: 'before-v2' }, allowNonRestoredState: true });
    await env.emu.control.settled();
    expect((await msf.describeApplication(APP, { tags: false })).status).toBe('RUNNING');
  });

  it('tags the application and reads the tag back', async () => {
    const { applicationArn } = await msf.describeApplication(APP, { tags: false });
    await msf.tagResource(applicationArn, { 'streamctl:healing': 'off' });
    expect((await msf.describeApplication(APP)).tags).toEqual({ 'streamctl:healing': 'off' });
  });

  it('counts exactly the calls the emulator received', () => {
    const ours = env.clients.apiCallStats();
    const theirs = env.emu.control.callCounts();
    for (const [key, c] of Object.entries(ours)) {
      expect(c.attempts, key).toBe(theirs[key.replace(':', '.')] ?? 0);
    }
    expect(ours['kinesisanalyticsv2:DescribeApplication']?.calls).toBeGreaterThan(5);
  });
});
