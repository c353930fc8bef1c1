/**
 * The Kafka monitors on a 200k-partition snapshot (issue 3): reading and validating the snapshot
 * file, broker loads, the disk monitor and the partition monitor, and the offline what-if with a
 * plan applied. Time per step and peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyReassignment } from '../src/domain/reassignment.js';
import { readSnapshotFile } from '../src/domain/snapshot.js';
import { diskResult, observationFromSnapshot, partitionsResult } from '../src/services/kafka-monitors.js';
import { snapshotGenerator } from '../test/peers/sandbox/shared-dir.js';

const PARTITIONS = 200_000;
const dir = mkdtempSync(join(tmpdir(), 'bench-monitors-'));
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const r = f();
  return [r, Math.round(performance.now() - t0)];
};

try {
  const file = join(dir, 'snap.json');
  const gen = spawnSync(
    'python3',
    [
      snapshotGenerator(),
      '--partitions',
      String(PARTITIONS),
      '--brokers',
      '30',
      '--topics',
      '400',
      '--seed',
      '7',
      '--out',
      file,
    ],
    { encoding: 'utf8' },
  );
  if (gen.status !== 0) throw new Error(`generator failed: ${gen.stderr}`);
  const [snap, readMs] = time(() => readSnapshotFile(file));
  const obs = observationFromSnapshot(snap, { brokerType: 'standard', instanceType: 'kafka.m5.4xlarge' });
  const [disk, diskMs] = time(() => diskResult(obs));
  const [parts, partsMs] = time(() => partitionsResult(obs));
  // What-if: move 10% of the partitions' first replica to the next broker.
  const plan = {
    version: 1 as const,
    partitions: snap.partitions
      .filter((_, i) => i % 10 === 0)
      .map((p) => ({
        topic: p.topic,
        partition: p.partition,
        replicas: [
          (p.replicas[0]! % 30) + 1 === p.replicas[1] ? p.replicas[0]! : (p.replicas[0]! % 30) + 1,
          ...p.replicas.slice(1),
        ].filter((x, i, a) => a.indexOf(x) === i),
      })),
  };
  const [whatIf, whatIfMs] = time(() =>
    partitionsResult({ ...obs, snapshot: applyReassignment(snap, plan, { newBrokers: 'add' }) }),
  );
  const replicas = snap.partitions.reduce((s, p) => s + p.replicas.length, 0);
  console.log(
    `snapshot: ${PARTITIONS} partitions, ${replicas} replicas, 30 brokers, ${(statSync(file).size / 1e6).toFixed(1)} MB`,
  );
  console.log(`read + validate     ${readMs} ms`);
  console.log(`disk monitor        ${diskMs} ms (${disk.severity}, ${disk.findings.length} findings)`);
  console.log(`partition monitor   ${partsMs} ms (${parts.severity}, ${parts.findings.length} findings)`);
  console.log(`what-if with a ${plan.partitions.length}-partition plan: ${whatIfMs} ms (${whatIf.severity})`);
  console.log(`peak RSS            ${peakMb()} MB`);
  console.log(
    JSON.stringify({
      bench: 'monitors',
      partitions: PARTITIONS,
      replicas,
      readMs,
      diskMs,
      partitionsMs: partsMs,
      whatIfMs,
      peakRssMb: peakMb(),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
