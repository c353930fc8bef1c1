/**
 * Bytes moved to fill a new broker: streamctl's plan vs Apache's `kafka-reassign-partitions
 * --generate`, on a live local cluster (3 brokers with skewed topics, then a 4th broker added).
 *
 * Apache's --generate ignores the current placement (it re-assigns every partition of the listed
 * topics from a random start, docs/reference.md §kafka-reassign-partitions), so it moves far more than needed. Both proposals are
 * measured on the same captureSnapshot: bytes moved = Σ partition size × replicas newly placed;
 * spread = max/mean of per-broker bytes after the move. Apache's tool is run several times (its
 * start broker is random) and reported as min/mean/max. Nothing is executed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { openKafkaAdmin } from '../src/probes/kafka-admin/index.js';
import { captureSnapshot } from '../src/probes/kafka-admin/snapshot.js';
import { parseReassignment } from '../src/rebalancer/plan.js';
import { planAndReport } from '../src/rebalancer/report.js';
import { type KafkaCluster, runKafkaTool, startKafkaCluster } from '../test/peers/sandbox/kafka/index.js';

const VERSION = '3.9' as const;
const RPC = 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand';
const APACHE_RUNS = 3;
/** Skewed topics: name, partitions, replication factor, bytes per partition. */
const TOPICS: Array<[string, number, number, number]> = [
  ['logs', 6, 3, 600_000],
  ['audit', 2, 3, 1_000_000],
  ['events', 4, 3, 300_000],
  ['metrics', 8, 2, 100_000],
  ['tiny', 10, 2, 10_000],
];

const dir = mkdtempSync(join(tmpdir(), 'bench-rebalance-apache-'));
let cluster: KafkaCluster | undefined;
const stop = async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
};
process.once('SIGINT', () => void stop().then(() => process.exit(130)));

type Placement = Map<string, { replicas: number[]; size: number }>;

function movedBytes(
  before: Placement,
  after: Array<{ topic: string; partition: number; replicas: number[] }>,
): number {
  let bytes = 0;
  for (const p of after) {
    const cur = before.get(`${p.topic}-${p.partition}`)!;
    bytes += cur.size * p.replicas.filter((b) => !cur.replicas.includes(b)).length;
  }
  return bytes;
}

function spreadAfter(
  before: Placement,
  after: Array<{ topic: string; partition: number; replicas: number[] }>,
  brokers: number[],
): number {
  const placement = new Map([...before].map(([k, v]) => [k, v.replicas]));
  for (const p of after) placement.set(`${p.topic}-${p.partition}`, p.replicas);
  const load = new Map(brokers.map((b) => [b, 0]));
  for (const [k, reps] of placement)
    for (const b of reps) load.set(b, (load.get(b) ?? 0) + before.get(k)!.size);
  const v = [...load.values()];
  return Math.max(...v) / (v.reduce((a, b) => a + b, 0) / v.length);
}

try {
  let t0 = performance.now();
  cluster = await startKafkaCluster({ version: VERSION, brokers: 3 });
  console.log(`cluster: Kafka ${VERSION}, 3 brokers ready in ${Math.round(performance.now() - t0)} ms`);
  const kafka = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING });
  const admin = await openKafkaAdmin({
    name: 'bench',
    bootstrap: cluster.bootstrap.split(','),
    auth: { type: 'none' },
    diskWarnPercent: 60,
    diskCritPercent: 80,
  });
  await admin.createTopics(
    TOPICS.map(([name, partitions, rf]) => ({ name, partitions, replicationFactor: rf })),
  );
  const producer = kafka.producer();
  await producer.connect();
  for (const [name, partitions, , bytes] of TOPICS) {
    for (let p = 0; p < partitions; p++) {
      for (let sent = 0; sent < bytes; sent += 100_000) {
        const messages = Array.from({ length: 10 }, () => ({
          partition: p,
          value: Buffer.from(Array.from({ length: 10_000 }, () => Math.floor(Math.random() * 256))),
        }));
        for (let tries = 0; ; tries++) {
          try {
            await producer.send({ topic: name, acks: -1, messages });
            break;
          } catch (e) {
            if (tries > 20) throw e;
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      }
    }
  }
  await producer.disconnect();
  const added = await cluster.addBroker();
  console.log(
    `data: ${TOPICS.map(([n, p, rf, b]) => `${n} ${p}x RF${rf} ${(b / 1e6).toFixed(2)} MB/partition`).join(', ')}; broker ${added.id} added`,
  );

  const snap = await captureSnapshot(admin, { cluster: 'bench', now: Date.now() });
  await admin.close();
  const ours = snap.partitions.filter((p) => !p.topic.startsWith('__'));
  const before: Placement = new Map(
    ours.map((p) => [`${p.topic}-${p.partition}`, { replicas: p.replicas, size: p.sizeBytes }]),
  );
  const dataBytes = ours.reduce((s, p) => s + p.sizeBytes * p.replicas.length, 0);
  const brokers = snap.brokers.map((b) => b.id);

  t0 = performance.now();
  const planned = planAndReport({ ...snap, partitions: ours }, { plan: { addBrokers: [{ id: added.id }] } });
  const planMs = Math.round(performance.now() - t0);
  const oursMoved = movedBytes(before, planned.plan.partitions);
  const oursSpread = spreadAfter(before, planned.plan.partitions, brokers);
  console.log(
    `streamctl: ${planned.plan.partitions.length} partitions changed, ${(oursMoved / 1e6).toFixed(2)} MB moved ` +
      `(lower bound ${(planned.report.figures.lowerBoundBytes / 1e6).toFixed(2)} MB, moved/LB ${planned.report.figures.movedOverLowerBound?.toFixed(3)}), spread after ${oursSpread.toFixed(3)}, planned in ${planMs} ms`,
  );

  const topicsFile = join(dir, 'topics.json');
  writeFileSync(topicsFile, JSON.stringify({ version: 1, topics: TOPICS.map(([topic]) => ({ topic })) }));
  const apache: Array<{ moved: number; spread: number; partitions: number; ms: number }> = [];
  for (let i = 0; i < APACHE_RUNS; i++) {
    t0 = performance.now();
    const r = await runKafkaTool(VERSION, RPC, [
      '--bootstrap-server',
      cluster.bootstrap,
      '--generate',
      '--topics-to-move-json-file',
      topicsFile,
      '--broker-list',
      brokers.join(','),
    ]);
    const ms = Math.round(performance.now() - t0);
    if (r.code !== 0) throw new Error(`--generate failed: ${r.stderr}`);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Proposed partition reassignment configuration'));
    const proposal = parseReassignment(lines[at + 1]!, 'apache --generate');
    const changed = proposal.partitions.filter(
      (p) => before.get(`${p.topic}-${p.partition}`)!.replicas.join(',') !== p.replicas.join(','),
    );
    apache.push({
      moved: movedBytes(before, proposal.partitions),
      spread: spreadAfter(before, proposal.partitions, brokers),
      partitions: changed.length,
      ms,
    });
    console.log(
      `apache --generate run ${i + 1}: ${changed.length} partitions changed, ${(apache[i]!.moved / 1e6).toFixed(2)} MB moved, spread after ${apache[i]!.spread.toFixed(3)} (${ms} ms, a cold JVM)`,
    );
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const apacheMean = mean(apache.map((a) => a.moved));
  const ratio = apacheMean / oursMoved;
  console.log(
    `data on disk ${(dataBytes / 1e6).toFixed(2)} MB; apache moves ${ratio.toFixed(2)}x the bytes streamctl moves (mean of ${APACHE_RUNS} runs)`,
  );
  console.log(
    JSON.stringify({
      bench: 'rebalance-vs-apache',
      kafka: VERSION,
      brokersBefore: 3,
      brokersAfter: brokers.length,
      partitions: ours.length,
      dataBytes,
      streamctl: {
        movedBytes: oursMoved,
        partitionsChanged: planned.plan.partitions.length,
        lowerBoundBytes: planned.report.figures.lowerBoundBytes,
        spreadAfter: oursSpread,
        planMs,
      },
      apache: {
        runs: APACHE_RUNS,
        movedBytesMin: Math.min(...apache.map((a) => a.moved)),
        movedBytesMean: apacheMean,
        movedBytesMax: Math.max(...apache.map((a) => a.moved)),
        partitionsChangedMean: mean(apache.map((a) => a.partitions)),
        spreadAfterMean: mean(apache.map((a) => a.spread)),
      },
      apacheOverStreamctl: Number(ratio.toFixed(3)),
    }),
  );
} finally {
  await stop();
}
