import { CreateApplicationCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, describe, expect, it } from 'vitest';
import { StreamctlError } from '../../../src/core/errors.js';
import {
  ApplicationBusyError,
  ConcurrentModificationError,
  DashboardUnavailableError,
} from '../../../src/probes/managed-flink/errors.js';
import { createManagedFlinkProbe } from '../../../src/probes/managed-flink/index.js';
import type { ManagedFlinkPort } from '../../../src/probes/managed-flink/port.js';
import { FakeManagedFlink } from '../../fakes/managed-flink/fake.js';
import { startEmulatorWithClients } from '../emulator.js';

/**
 * One contract for ManagedFlinkPort, run against the in-memory fake (what core tests use) and
 * against the real adapter through the AWS emulator: if the fake drifts from the service's
 * behaviour, this fails.
 */
interface Harness {
  port: ManagedFlinkPort;
  /** Creates a READY application. */
  create(name: string, opts?: { snapshots?: boolean }): Promise<void>;
  /** Lets in-flight operations finish. */
  settle(name: string): Promise<void>;
  /** AWS puts the app into UPDATING on its own for a while (e.g. a platform update). */
  forceUpdating(name: string): Promise<void>;
  stop(): Promise<void>;
}

async function fakeHarness(): Promise<Harness> {
  const fake = new FakeManagedFlink(() => Date.UTC(2026, 10, 22));
  return {
    port: fake,
    async create(name, opts = {}) {
      fake.add({
        applicationName: name,
        status: 'READY',
        runtime: 'FLINK-1_20',
        snapshotsEnabled: opts.snapshots ?? true,
      });
    },
    async settle(name) {
      fake.settle(name);
    },
    async forceUpdating(name) {
      const app = fake.apps.get(name);
      if (app) app.detail.status = 'UPDATING';
    },
    async stop() {},
  };
}

async function emulatorHarness(): Promise<Harness> {
  const env = await startEmulatorWithClients();
  const client = env.clients.kinesisAnalytics();
  return {
    port: createManagedFlinkProbe(client, { region: 'us-east-1' }),
    async create(name, opts = {}) {
      await client.send(
        new CreateApplicationCommand({
          ApplicationName: name,
          RuntimeEnvironment: 'FLINK-1_20',
          ServiceExecutionRole: 'arn:aws:iam::123456789012:role/msf-test',
          ApplicationConfiguration: {
            ApplicationCodeConfiguration: {
              CodeContentType: 'ZIPFILE',
              CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::jars', FileKey: 'app.jar' } },
            },
            EnvironmentProperties: {
              PropertyGroups: [
                { PropertyGroupId: 'emulator.job', PropertyMap: { mode: 'healthy', version: 'v1' } },
              ],
            },
            ApplicationSnapshotConfiguration: { SnapshotsEnabled: opts.snapshots ?? true },
          },
        }),
      );
    },
    async settle() {
      await env.emu.control.settled();
      // Operations take time in AWS: the next one starts later (listOperations sorts by StartTime).
      env.emu.control.advanceClock(1000);
    },
    async forceUpdating(name) {
      env.emu.control.forceStatus(name, 'UPDATING', 30_000);
    },
    async stop() {
      await env.stop();
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe.each([
  ['the in-memory fake', fakeHarness],
  ['the adapter through the AWS emulator', emulatorHarness],
])('ManagedFlinkPort contract: %s', (_name, make) => {
  const A = 'contract-app';
  let h: Harness;
  afterAll(async () => h?.stop());

  it('starts a READY application without restoring', async () => {
    h = await make();
    await h.create(A);
    expect((await h.port.describeApplication(A, { tags: false })).status).toBe('READY');
    await h.port.start(A, { restore: 'SKIP_RESTORE_FROM_SNAPSHOT' });
    await h.settle(A);
    expect((await h.port.describeApplication(A, { tags: false })).status).toBe('RUNNING');
  });

  it('refuses a rollback when nothing was deployed and changes nothing', async () => {
    expect(await rejection(h.port.rollback(A, { currentVersionId: 1 }))).toBeInstanceOf(StreamctlError);
    expect((await h.port.describeApplication(A, { tags: false })).versionId).toBe(1);
  });

  it('deploys a change against the current version, and refuses a stale one', async () => {
    const r = await h.port.updateEnvironment(A, {
      currentVersionId: 1,
      propertyGroups: { 'emulator.job': { mode: 'healthy', version: 'v2' } },
    });
    expect(r.versionId).toBe(2);
    await h.settle(A);
    const d = await h.port.describeApplication(A, { tags: false });
    expect([d.status, d.versionId, d.versionUpdatedFrom]).toEqual(['RUNNING', 2, 1]);
    expect(
      await rejection(h.port.updateEnvironment(A, { currentVersionId: 1, propertyGroups: {} })),
    ).toBeInstanceOf(ConcurrentModificationError);
    const [op] = await h.port.listOperations(A, { operation: 'UpdateApplication' });
    expect(await h.port.describeOperation(A, op?.operationId as string)).toMatchObject({
      operation: 'UpdateApplication',
      status: 'SUCCESSFUL',
      versionFrom: 1,
      versionTo: 2,
    });
  });

  it('snapshots the old version on update (snapshots enabled), and rolls back to it', async () => {
    expect((await h.port.listSnapshots(A)).map((s) => [s.status, s.versionId])).toEqual([['READY', 1]]);
    await h.port.rollback(A, { currentVersionId: 2 });
    await h.settle(A);
    const d = await h.port.describeApplication(A, { tags: false });
    expect([d.status, d.versionId, d.versionRolledBackFrom, d.versionRolledBackTo]).toEqual([
      'RUNNING',
      3,
      2,
      1,
    ]);
    expect((await h.port.listOperations(A))[0]?.operation).toBe('RollbackApplication');
  });

  it('refuses a rollback when there is no snapshot to restore (ResourceInUse), changing nothing', async () => {
    const B = 'contract-nosnap';
    await h.create(B, { snapshots: false });
    await h.port.start(B, { restore: 'SKIP_RESTORE_FROM_SNAPSHOT' });
    await h.settle(B);
    await h.port.updateEnvironment(B, {
      currentVersionId: 1,
      propertyGroups: { 'emulator.job': { mode: 'healthy', version: 'v2' } },
    });
    await h.settle(B);
    expect(await h.port.listSnapshots(B)).toEqual([]);
    expect(await rejection(h.port.rollback(B, { currentVersionId: 2 }))).toBeInstanceOf(ApplicationBusyError);
    expect((await h.port.describeApplication(B, { tags: false })).versionId).toBe(2);
  });

  it('takes a named snapshot on request', async () => {
    await h.port.createSnapshot(A, 'snap-1');
    await h.settle(A);
    expect((await h.port.listSnapshots(A)).find((s) => s.name === 'snap-1')).toMatchObject({
      status: 'READY',
      versionId: 3,
    });
  });

  it('reports the dashboard unavailable with the status while UPDATING', async () => {
    await h.forceUpdating(A);
    const err = await rejection(h.port.createPresignedUrl(A, { sessionSeconds: 1800 }));
    expect(err).toBeInstanceOf(DashboardUnavailableError);
    expect((err as DashboardUnavailableError).status).toBe('UPDATING');
  });
});
