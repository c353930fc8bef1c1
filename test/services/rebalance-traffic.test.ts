import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAwsPorts } from '../../src/cli/live-ports.js';
import type { Config } from '../../src/config/schema.js';
import type { KafkaCluster } from '../../src/config/sections/kafka.js';
import { Sysexit } from '../../src/core/exit-codes.js';
import { createCloudWatchProbe } from '../../src/probes/cloudwatch/index.js';
import { planRebalance } from '../../src/rebalancer/planner.js';
import { interlockError } from '../../src/services/rebalance-exec/interlocks.js';
import { mskRebalancingStatus } from '../../src/services/rebalance-msk.js';
import {
  mskBrokerTraffic,
  readBrokerTraffic,
  TRAFFIC_WINDOW_MS,
} from '../../src/services/rebalance-traffic.js';
import { startEmulatorWithClients } from '../probes/emulator.js';
import { expressCluster } from '../rebalancer/express-cluster.js';

/**
 * The Express throughput goal's I/O stage end to end: the real SDK CloudWatch client (through
 * streamctl's client factory) reads AWS/Kafka BytesInPerSec/BytesOutPerSec from the AWS emulator,
 * and the pure planner balances on what it read.
 */
let env: Awaited<ReturnType<typeof startEmulatorWithClients>>;
let now: number;
let arn: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  env = await startEmulatorWithClients();
  now = env.emu.control.now();
  // The command edge builds the clients from the config: the SDK's default chain reads these.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEMULATOR';
  process.env.AWS_SECRET_ACCESS_KEY = 'not-a-secret';
  arn = env.emu.control.registerMskCluster({
    name: 'clicks',
    kind: 'EXPRESS',
    instanceType: 'express.m7g.large',
    brokers: [1, 2, 3, 4, 5, 6].map((id) => ({ id, port: 29090 + id, rack: `use1-az${((id - 1) % 3) + 1}` })),
    rebalancing: 'ACTIVE',
  }).clusterArn;
  // Twelve 5-minute samples over the last hour; brokers 1 and 2 are hot, broker 6 reports nothing.
  for (const id of [1, 2, 3, 4, 5]) {
    const hot = id <= 2;
    const at = (k: number) => now - TRAFFIC_WINDOW_MS + k * 300_000 + 1_000;
    const points = (v: number) => Array.from({ length: 12 }, (_, k) => ({ timestamp: at(k), value: v + k }));
    env.emu.control.putBrokerMetric('clicks', id, 'BytesInPerSec', points(hot ? 60e6 : 10e6));
    env.emu.control.putBrokerMetric('clicks', id, 'BytesOutPerSec', points(hot ? 90e6 : 15e6));
  }
});
afterAll(async () => {
  process.env = savedEnv;
  await env?.stop();
});

const config = () =>
  ({
    aws: {
      region: 'us-east-1',
      endpoints: { kafka: env.emu.endpoint, cloudwatch: env.emu.endpoint },
      maxAttempts: 1,
    },
  }) as unknown as Config;
const cluster = () => ({ name: 'clicks', msk: { arn }, auth: { type: 'none' } }) as unknown as KafkaCluster;

describe('MSK Express traffic from CloudWatch (AWS emulator, real SDK client)', () => {
  it('reads the hour-average bytes in/out of every broker and names the ones without datapoints', async () => {
    const cw = createCloudWatchProbe(env.clients.cloudWatch());
    const r = await readBrokerTraffic(cw, 'clicks', [1, 2, 3, 4, 5, 6], now);
    expect(r.missing).toEqual([6]);
    expect(r.traffic.map((t) => t.id)).toEqual([1, 2, 3, 4, 5]);
    expect(r.traffic[0]).toEqual({ id: 1, bytesInPerSec: 60e6 + 5.5, bytesOutPerSec: 90e6 + 5.5 });
    expect(r.traffic[4]).toEqual({ id: 5, bytesInPerSec: 10e6 + 5.5, bytesOutPerSec: 15e6 + 5.5 });
  });

  it('the planner balances bytes in + out on what was read, and reports the throughput goal', async () => {
    const cw = createCloudWatchProbe(env.clients.cloudWatch());
    const { traffic } = await readBrokerTraffic(cw, 'clicks', [1, 2, 3, 4, 5, 6], now);
    const r = planRebalance(expressCluster('clicks', new Date(now).toISOString()), {
      brokerTraffic: traffic,
    });
    const goal = r.goalReports.find((g) => g.goal === 'throughput')!;
    expect(goal.before).toBeGreaterThan(1.3);
    expect(goal.after).toBeLessThan(goal.before);
    expect(r.goals.replicaCounts).toBe(true);
    expect(r.changes.length).toBeGreaterThan(0);
  });

  it('through the service: the cluster name comes from DescribeClusterV2, the figures from CloudWatch', async () => {
    const r = await withAwsPorts(config(), (aws) =>
      mskBrokerTraffic(cluster(), config(), aws, [1, 2, 6], now),
    );
    expect(r.traffic.map((t) => t.id)).toEqual([1, 2]);
    expect(r.missing).toEqual([6]);
  });

  it('while intelligent rebalancing is ACTIVE, the refusal says how to pause it (update-rebalancing)', async () => {
    expect(await withAwsPorts(config(), (aws) => mskRebalancingStatus(cluster(), config(), aws.msk))).toBe(
      'ACTIVE',
    );
    const e = interlockError({ kind: 'msk-rebalancing-active', clusterArn: arn });
    expect(e.exitCode).toBe(Sysexit.TEMPFAIL);
    expect(`${e.message} ${e.hint}`).toContain(
      `aws kafka update-rebalancing --cluster-arn ${arn} --current-version <CurrentVersion> --rebalancing Status=PAUSED`,
    );
  });
});
