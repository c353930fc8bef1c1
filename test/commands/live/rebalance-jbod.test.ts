import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaAdminPort } from '../../../src/probes/kafka-admin/port.js';
import { parseReassignment } from '../../../src/rebalancer/plan.js';
import { rebalancePaths } from '../../../src/services/rebalance.js';
import { parseState } from '../../../src/services/rebalance-exec/execution-state.js';
import { runCli } from '../../helpers/cli.js';
import kafkaKind, { type StartedKafkaPeer } from '../../peers/kinds/kafka.js';
import { trackPid, untrackPid } from '../../peers/pids.js';
import { runKafkaTool } from '../../peers/sandbox/kafka/index.js';
import { bindPidDir } from '../../peers/use.js';
import {
  adminFor,
  eventually,
  expectPlacement,
  planLive,
  seedTopics,
  writeConfig,
} from './rebalance-helpers.js';

/**
 * JBOD on private real Kafka 3.9 and 4.x clusters, one after the other (the sandbox brokers have two log dirs each, data-a
 * and data-b): every replica is first pushed into data-a (skewed dirs), then `kafka rebalance
 * plan --remove-broker 3` plans inter-broker moves (with the new replicas' dirs) and intra-broker
 * moves in one plan, `kafka rebalance execute` runs both in one execution, and DescribeLogDirs
 * shows every replica in its planned dir. The cluster's processes are stopped by PID (peer.stop).
 */
const SEED = [
  {
    name: 'jbod-big',
    assignments: [
      [1, 2],
      [2, 1],
      [1, 3],
      [3, 2],
    ],
    bytesPerPartition: 600_000,
  },
  {
    name: 'jbod-small',
    assignments: [
      [1, 2],
      [2, 3],
      [3, 1],
      [2, 1],
      [1, 2],
    ],
    bytesPerPartition: 200_000,
  },
];

/** Where each replica of the topics is: `topic-p@broker` → dir (current logs only), and future logs. */
async function dirsNow(admin: KafkaAdminPort): Promise<{ at: Map<string, string>; futures: number }> {
  const at = new Map<string, string>();
  let futures = 0;
  for (const b of await admin.describeLogDirs())
    for (const d of b.logDirs)
      for (const p of d.partitions) {
        if (p.isFuture) futures++;
        else at.set(`${p.topic}-${p.partition}@${b.brokerId}`, d.path);
      }
  return { at, futures };
}

describe.each(['3.9', '4'] as const)(
  'kafka rebalance with log dirs (JBOD) on a private Kafka %s cluster',
  (version) => {
    let peer: StartedKafkaPeer;
    let dir: string;
    let cfg: string;
    let admin: KafkaAdminPort;

    beforeAll(async () => {
      bindPidDir();
      peer = await kafkaKind.start({ version, brokers: 3 });
      dir = mkdtempSync(join(tmpdir(), `streamctl-rebal-jbod-${version}-`));
      cfg = writeConfig(dir, peer.info.bootstrap);
      admin = await adminFor(cfg);
      await seedTopics(peer.info.bootstrap, admin, SEED);
      // Skew: every replica of the seeded topics into its broker's first dir (data-a).
      const brokers = await admin.describeLogDirs();
      const first = new Map(brokers.map((b) => [b.brokerId, b.logDirs.map((d) => d.path).sort()[0]!]));
      const moves = SEED.flatMap((t) =>
        t.assignments.flatMap((replicas, partition) =>
          replicas.map((b) => ({ brokerId: b, topic: t.name, partition, path: first.get(b)! })),
        ),
      );
      const res = await admin.alterReplicaLogDirs(moves);
      expect(res.filter((r) => r.error)).toEqual([]);
      await eventually('every seeded replica in data-a', async () => {
        const { at, futures } = await dirsNow(admin);
        return futures === 0 &&
          moves.every((m) => at.get(`${m.topic}-${m.partition}@${m.brokerId}`) === m.path)
          ? true
          : undefined;
      });
    });

    afterAll(async () => {
      await admin?.close();
      await peer?.stop();
    });

    it('plans inter- and intra-broker moves in one plan and executes both in one run; DescribeLogDirs shows every replica in its planned dir', async () => {
      const { planFile } = await planLive(dir, cfg, 'drain-3-jbod', ['--remove-broker', '3']);
      const report = JSON.parse(readFileSync(planFile.replace(/\.json$/, '.report.json'), 'utf8'));
      // Dir figures: skewed before (everything in data-a), within the band after, on brokers 1 and 2.
      expect(report.logDirs.brokers).toBeGreaterThanOrEqual(2);
      expect(report.logDirs.spread.before).toBeGreaterThan(1.5);
      expect(report.logDirs.spread.after).toBeLessThan(report.logDirs.spread.before);
      expect(report.logDirs.moves).toBeGreaterThan(0);
      expect(report.logDirs.placements).toBeGreaterThan(0);
      expect(
        report.moves.some((m: { reasons: string[] }) => m.reasons.some((r) => r.startsWith('log dir on '))),
      ).toBe(true);
      const plan = parseReassignment(readFileSync(planFile, 'utf8'), planFile);
      const targets = plan.partitions.flatMap((p) =>
        (p.log_dirs ?? [])
          .map((d, j) => ({ key: `${p.topic}-${p.partition}@${p.replicas[j]}`, dir: d }))
          .filter((t) => t.dir !== 'any'),
      );
      expect(targets.length).toBeGreaterThan(2);

      const stateDir = join(dir, 'state');
      const started = Date.now();
      const r = await runCli([
        'kafka',
        'rebalance',
        'execute',
        '--plan',
        planFile,
        '-c',
        'local',
        '--config',
        cfg,
        '--state-dir',
        stateDir,
        '--yes',
        '--json',
        '--poll-interval',
        '500ms',
        '--throttle',
        '5MB/s',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const state = parseState(readFileSync(rebalancePaths(stateDir, 'local').state, 'utf8'), 'state');
      expect(state.phase).toBe('done');
      expect(state.logDirs?.length).toBe(targets.length);
      expect(state.logDirs?.every((t) => t.inPlace)).toBe(true);
      // The copies between dirs were throttled (recorded), and every broker's rate is gone again.
      const dirThrottles = r.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .filter((e) => e.event === 'throttles-set' && e.logDirs);
      expect(
        dirThrottles.flatMap((e) => e.changes.map((c: { name: string }) => c.name)).length,
      ).toBeGreaterThan(0);
      expect(state.throttles.dirBrokers ?? {}).toEqual({});
      for (const b of [1, 2, 3]) {
        const c = await admin.describeBrokerConfigs(b, ['replica.alter.log.dirs.io.max.bytes.per.second']);
        expect(
          c.entries.filter((e) => e.source === 'dynamic-broker'),
          `broker ${b}`,
        ).toEqual([]);
      }
      // The dir phase's first observation: new replicas announced before their reassignment were
      // created in their planned dir (KRaft honours AlterReplicaLogDirs for a replica not yet hosted).
      const dirEvents = r.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .filter((e) => e.event === 'log-dirs');
      expect(dirEvents.at(-1)).toMatchObject({ inPlace: targets.length, total: targets.length });
      process.stdout.write(`jbod live ${version}: first dir observation ${JSON.stringify(dirEvents[0])}\n`);
      process.stdout.write(
        `jbod live ${version}: ${report.figures.replicaMoves} replica moves, ${report.logDirs.moves} dir moves (${report.logDirs.movedBytes} B), ` +
          `${report.logDirs.placements} placements, dir spread ${report.logDirs.spread.before.toFixed(3)} → ${report.logDirs.spread.after.toFixed(3)}, executed in ${Date.now() - started} ms\n`,
      );

      // Our own observation, independent of the executor's: every planned dir holds its replica.
      const { at, futures } = await dirsNow(admin);
      expect(futures).toBe(0);
      for (const t of targets) expect(at.get(t.key), t.key).toBe(t.dir);
      await expectPlacement(admin, planFile);
      // Apache's tool as a second, independent oracle: --verify checks replicas and log dirs.
      const v = await runKafkaTool(
        version,
        'org.apache.kafka.tools.reassign.ReassignPartitionsCommand',
        ['--bootstrap-server', peer.info.bootstrap, '--reassignment-json-file', planFile, '--verify'],
        { onSpawn: trackPid, onExit: untrackPid },
      );
      expect(v.code, v.stderr).toBe(0);
      process.stdout.write(`jbod live ${version}: Apache --verify:\n${v.stdout}\n`);
      expect(v.stdout.match(/Reassignment of replica \S+ completed successfully/g)).toHaveLength(
        targets.length,
      );
      expect(v.stdout).not.toMatch(/in progress|failed/i);
    }, 300_000);
  },
);
