import { afterAll, describe, expect, it } from 'vitest';
import { createMskProbe } from '../../../src/probes/msk/index.js';
import type { MskPort } from '../../../src/probes/msk/port.js';
import { FakeMsk } from '../../fakes/msk/fake.js';
import { startEmulatorWithClients } from '../emulator.js';

/**
 * One contract for MskPort, run against the in-memory fake and against the real adapter through
 * the AWS emulator: the rebalancer's Express interlock (pause intelligent rebalancing with the
 * current version; a stale version conflicts) must behave the same on both.
 */
interface Harness {
  port: MskPort;
  /** Registers an Express cluster with intelligent rebalancing ACTIVE and an IAM listener; returns its ARN. */
  addExpress(name: string): Promise<string>;
  stop(): Promise<void>;
}

async function fakeHarness(): Promise<Harness> {
  const fake = new FakeMsk();
  return {
    port: fake,
    async addExpress(name) {
      const arn = `arn:aws:kafka:us-east-1:123456789012:cluster/${name}/0000`;
      fake.add(
        {
          arn,
          name,
          type: 'express',
          state: 'ACTIVE',
          currentVersion: 'V1',
          instanceType: 'express.m7g.large',
          brokerCount: 3,
          intelligentRebalancing: 'ACTIVE',
          auth: { unauthenticated: false, tls: false, scram: false, iam: true },
          tags: {},
        },
        [1, 2, 3].map((id) => ({ brokerId: id, endpoints: [`b-${id}.${name}`] })),
        { 'msk-iam': ['127.0.0.1:9098'] },
      );
      return arn;
    },
    async stop() {},
  };
}

async function emulatorHarness(): Promise<Harness> {
  const env = await startEmulatorWithClients();
  return {
    port: createMskProbe(env.clients.kafka()),
    async addExpress(name) {
      return env.emu.control.registerMskCluster({
        name,
        instanceType: 'express.m7g.large',
        brokers: [1, 2, 3].map((id) => ({ id, port: 9090 + id })),
        bootstrap: { saslIam: '127.0.0.1:9098' },
        rebalancing: 'ACTIVE',
      }).clusterArn;
    },
    stop: () => env.stop(),
  };
}

describe.each([
  ['the in-memory fake', fakeHarness],
  ['the adapter through the AWS emulator', emulatorHarness],
])('MskPort contract: %s', (_name, make) => {
  let h: Harness;
  let arn: string;
  afterAll(async () => h?.stop());

  it('describes an Express cluster with intelligent rebalancing ACTIVE, its brokers and IAM bootstrap', async () => {
    h = await make();
    arn = await h.addExpress('clicks');
    const c = await h.port.describeCluster(arn);
    expect([c.type, c.state, c.intelligentRebalancing, c.brokerCount]).toEqual([
      'express',
      'ACTIVE',
      'ACTIVE',
      3,
    ]);
    expect((await h.port.listNodes(arn)).map((b) => b.brokerId)).toEqual([1, 2, 3]);
    expect(await h.port.getBootstrapBrokers(arn, { auth: 'msk-iam' })).toEqual(['127.0.0.1:9098']);
    await expect(h.port.getBootstrapBrokers(arn, { auth: 'scram' })).rejects.toMatchObject({
      code: 'LISTENER_NOT_ENABLED',
    });
  });

  it('pauses rebalancing with the current version; the old version then conflicts', async () => {
    const { currentVersion } = await h.port.describeCluster(arn);
    await h.port.updateRebalancing(arn, { currentVersion, status: 'PAUSED' });
    const after = await h.port.describeCluster(arn);
    expect(after.intelligentRebalancing).toBe('PAUSED');
    expect(after.currentVersion).not.toBe(currentVersion);
    await expect(h.port.updateRebalancing(arn, { currentVersion, status: 'ACTIVE' })).rejects.toMatchObject({
      code: 'CONFLICT',
      transient: true,
    });
  });

  it('lists the cluster', async () => {
    expect((await h.port.listClusters()).map((c) => c.arn)).toContain(arn);
  });
});
