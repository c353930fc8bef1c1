import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMskProbe } from '../../../src/probes/msk/index.js';
import type { MskPort } from '../../../src/probes/msk/port.js';
import { startEmulatorWithClients } from '../emulator.js';

/** The MSK adapter end to end: client factory → real SDK (REST-JSON) → the emulator's kafka routes. */
let env: Awaited<ReturnType<typeof startEmulatorWithClients>>;
let msk: MskPort;
let standardArn: string;
let expressArn: string;

beforeAll(async () => {
  env = await startEmulatorWithClients();
  msk = createMskProbe(env.clients.kafka());
  standardArn = env.emu.control.registerMskCluster({
    name: 'orders',
    instanceType: 'kafka.m5.large',
    volumeSizeGiB: 1000,
    kafkaVersion: '3.9.x',
    brokers: [
      { id: 1, port: 19092, rack: 'use1-az1' },
      { id: 2, port: 19093, rack: 'use1-az2' },
      { id: 3, port: 19094, rack: 'use1-az3' },
    ],
    bootstrap: { saslScram: '127.0.0.1:19096' },
    tags: { team: 'data' },
  }).clusterArn;
  expressArn = env.emu.control.registerMskCluster({
    name: 'clicks',
    instanceType: 'express.m7g.large',
    brokers: [{ id: 1, port: 29092 }],
    rebalancing: 'ACTIVE',
  }).clusterArn;
});
afterAll(async () => {
  await env?.stop();
});

describe('MSK adapter through the AWS emulator', () => {
  it('lists the clusters and describes Standard and Express ones', async () => {
    expect((await msk.listClusters()).map((c) => [c.name, c.type]).sort()).toEqual([
      ['clicks', 'express'],
      ['orders', 'standard'],
    ]);
    const s = await msk.describeCluster(standardArn);
    expect(s).toMatchObject({
      name: 'orders',
      type: 'standard',
      state: 'ACTIVE',
      instanceType: 'kafka.m5.large',
      brokerCount: 3,
      storagePerBrokerGiB: 1000,
      tags: { team: 'data' },
    });
    expect(s.currentVersion).toBeTruthy();
    const x = await msk.describeCluster(expressArn);
    expect([x.type, x.intelligentRebalancing, x.storagePerBrokerGiB]).toEqual([
      'express',
      'ACTIVE',
      undefined,
    ]);
  });

  it('lists the broker nodes', async () => {
    const brokers = await msk.listNodes(standardArn);
    expect(brokers.map((b) => b.brokerId)).toEqual([1, 2, 3]);
    expect(brokers[0]?.endpoints.length).toBeGreaterThan(0);
  });

  it('picks the bootstrap string of the auth type and explains a missing listener', async () => {
    expect(await msk.getBootstrapBrokers(standardArn, { auth: 'scram' })).toEqual(['127.0.0.1:19096']);
    expect((await msk.getBootstrapBrokers(standardArn, { auth: 'none' })).length).toBeGreaterThan(0);
    await expect(msk.getBootstrapBrokers(standardArn, { auth: 'msk-iam' })).rejects.toMatchObject({
      code: 'LISTENER_NOT_ENABLED',
      exitCode: 78,
    });
  });

  it('pauses intelligent rebalancing with the current version, and a stale version conflicts', async () => {
    const { currentVersion } = await msk.describeCluster(expressArn);
    await msk.updateRebalancing(expressArn, { currentVersion, status: 'PAUSED' });
    const after = await msk.describeCluster(expressArn);
    expect(after.intelligentRebalancing).toBe('PAUSED');
    expect(after.currentVersion).not.toBe(currentVersion);
    await expect(
      msk.updateRebalancing(expressArn, { currentVersion, status: 'ACTIVE' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', transient: true });
  });

  it('maps an unknown cluster to not found', async () => {
    await expect(
      msk.describeCluster('arn:aws:kafka:us-east-1:123456789012:cluster/nope/0000'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
