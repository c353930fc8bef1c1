import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * The files every hostile case starts from, in a fresh directory: a good snapshot, a good plan, a
 * good config whose SASL password lives in a secret file, a good scenario and a Flink trace. A
 * case writes its bad input beside them. The secrets below must never appear in any output.
 */
export const SECRETS = ['hunter2-file-SECRET-7f3a', 'hunter2-inline-SECRET-91bc', 'tok-SECRET-5d2e'];

export const SNAPSHOT = {
  version: 1,
  cluster: 'hostile',
  capturedAt: '2026-11-22T00:00:00Z',
  brokers: [
    { id: 1, rack: 'a', capacityBytes: 1_000_000_000 },
    { id: 2, rack: 'b', capacityBytes: 1_000_000_000 },
    { id: 3, rack: 'c', capacityBytes: 1_000_000_000 },
  ],
  partitions: [0, 1, 2, 3, 4, 5].map((p) => ({
    topic: 'orders',
    partition: p,
    replicas: p % 2 ? [1, 2] : [1, 3],
    leader: 1,
    isr: p % 2 ? [1, 2] : [1, 3],
    sizeBytes: 10_000_000 * (p + 1),
  })),
};

export const PLAN = {
  version: 1,
  partitions: [{ topic: 'orders', partition: 0, replicas: [2, 3], log_dirs: ['any', 'any'] }],
};

export const CONFIG = [
  'kafka:',
  '  clusters:',
  '    - name: orders',
  '      bootstrap: ["127.0.0.1:1"]',
  '      auth: { type: scram, username: ops, password: { file: secret.txt } }',
  '',
].join('\n');

export const SCENARIO = [
  'name: hostile-base',
  'description: A bad deploy loops; the healer rolls it back.',
  'duration: 30m',
  'healer:',
  '  mode: act',
  'app:',
  '  name: enricher',
  '  versionId: 2',
  '  snapshots: 2',
  'world:',
  '  events:',
  '    - at: 4m',
  '      update: { toVersion: 3, duration: 60s }',
  '    - at: 5m15s',
  '      loop:',
  '        every: 40s',
  '        cause: user',
  '        exception: |',
  '          java.lang.NullPointerException: sku is null',
  '          \tat com.acme.Enrich.map(Enrich.java:42)',
  'expect:',
  '  maxHarmful: 0',
  '',
].join('\n');

export const TRACE = [
  'java.lang.NullPointerException: sku is null',
  '\tat com.acme.Enrich.map(Enrich.java:42)',
  '\tat org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)',
  '',
].join('\n');

/** A fresh case directory with the base files. */
export function caseDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamctl-hostile-'));
  writeFileSync(join(dir, 'snap.json'), `${JSON.stringify(SNAPSHOT, null, 1)}\n`);
  writeFileSync(join(dir, 'plan.json'), `${JSON.stringify(PLAN)}\n`);
  writeFileSync(join(dir, 'streamctl.yaml'), CONFIG);
  writeFileSync(join(dir, 'secret.txt'), `${SECRETS[0]}\n`);
  writeFileSync(join(dir, 'scenario.yaml'), SCENARIO);
  writeFileSync(join(dir, 'trace.txt'), TRACE);
  return dir;
}

/** Every file under the directory (temp directories of a writer included) with its hash. */
export function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out[`${relative(dir, p)}/`] = 'dir';
        walk(p);
      } else if (e.isFile() || e.isSymbolicLink()) {
        out[relative(dir, p)] = statSync(p).isFile()
          ? createHash('sha256').update(readFileSync(p)).digest('hex')
          : 'special';
      } else out[relative(dir, p)] = 'special';
    }
  };
  walk(dir);
  return out;
}
