/**
 * Snapshot capture at scale: a generated 200k-partition, 30-broker cluster (RF 3, 600k replicas)
 * served by the in-memory fake port, captured with captureSnapshot, written with
 * writeSnapshotFile and read back with readSnapshotFile. The fake's answers are computed first and
 * replayed, so "capture" times only streamct's own mapping (index log dirs, pick leader sizes,
 * sum capacities), not the fake.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readSnapshotFile } from '../src/domain/snapshot.js';
import type {
  BrokerLogDirs,
  ClusterDescription,
  KafkaAdminPort,
  TopicInfo,
} from '../src/probes/kafka-admin/port.js';
import { captureSnapshot, writeSnapshotFile } from '../src/probes/kafka-admin/snapshot.js';
import { FakeKafkaAdmin } from '../test/fakes/kafka-admin/fake.js';
import { snapshotGenerator } from '../test/peers/sandbox/shared-dir.js';

const PARTITIONS = 200_000;
const BROKERS = 30;
const TOPICS = 400;

const dir = mkdtempSync(join(tmpdir(), 'bench-kafka-snapshot-'));
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const ms = (t0: number) => Math.round(performance.now() - t0);

try {
  const input = join(dir, 'input.json');
  const gen = spawnSync(
    'python3',
    [
      snapshotGenerator(),
      '--partitions',
      String(PARTITIONS),
      '--brokers',
      String(BROKERS),
      '--topics',
      String(TOPICS),
      '--out',
      input,
    ],
    {
      encoding: 'utf8',
    },
  );
  if (gen.status !== 0) throw new Error(`generate.py failed: ${gen.stderr}`);
  const source = readSnapshotFile(input);
  const replicas = source.partitions.reduce((n, p) => n + p.replicas.length, 0);
  console.log(
    `cluster: ${source.partitions.length} partitions, ${source.brokers.length} brokers, ${replicas} replicas`,
  );

  let t0 = performance.now();
  const fake = FakeKafkaAdmin.fromSnapshot(source);
  const cluster = await fake.describeCluster();
  const topics = await fake.topicMetadata();
  const logDirs = await fake.describeLogDirs();
  const fakeMs = ms(t0);
  console.log(`fake port answers (metadata + log dirs of ${logDirs.length} brokers): ${fakeMs} ms`);

  // Replays the answers: what is timed below is captureSnapshot's own work.
  const replay: KafkaAdminPort = Object.assign(Object.create(fake) as KafkaAdminPort, {
    describeCluster: async (): Promise<ClusterDescription> => cluster,
    topicMetadata: async (): Promise<TopicInfo[]> => topics,
    describeLogDirs: async (): Promise<BrokerLogDirs[]> => logDirs,
  });

  const runs: number[] = [];
  let snap = await captureSnapshot(replay, { cluster: 'bench', now: 0 });
  for (let i = 0; i < 5; i++) {
    t0 = performance.now();
    snap = await captureSnapshot(replay, { cluster: 'bench', now: 0 });
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  const captureMs = Math.round(runs[Math.floor(runs.length / 2)]!);
  const mismatched = snap.partitions.filter((p, i) => p.sizeBytes !== source.partitions[i]!.sizeBytes).length;
  console.log(
    `captureSnapshot: median ${captureMs} ms over ${runs.length} runs (min ${Math.round(runs[0]!)} ms); sizes differing from source: ${mismatched}`,
  );

  const out = join(dir, 'snapshot.json');
  t0 = performance.now();
  writeSnapshotFile(out, snap);
  const writeMs = ms(t0);
  const fileMb = Math.round(statSync(out).size / 1e5) / 10;
  t0 = performance.now();
  const back = readSnapshotFile(out);
  const readMs = ms(t0);
  console.log(
    `writeSnapshotFile: ${writeMs} ms (${fileMb} MB); readSnapshotFile + validate: ${readMs} ms (${back.partitions.length} partitions)`,
  );
  console.log(`peak RSS: ${peakMb()} MB`);
  if (mismatched !== 0 || back.partitions.length !== source.partitions.length)
    throw new Error('captured snapshot does not match the source');
  console.log(
    JSON.stringify({
      bench: 'kafka-snapshot',
      partitions: source.partitions.length,
      brokers: BROKERS,
      replicas,
      fakePortMs: fakeMs,
      captureMs,
      writeMs,
      readBackMs: readMs,
      fileMb,
      peakRssMb: peakMb(),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
