#!/usr/bin/env node
// Fetches what the real-peer test bed needs (Kafka and Flink jars from Maven Central, the Flink
// test job) by running every peers/<name>/fetch.sh whose inputs changed since the last run.
// The cache lives outside the clone ($STREAMCTL_PEER_CACHE, default ~/.cache/streamctl-peers) so
// CI reuses it between runs on the same machine and re-fetches on a fresh one.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cache = process.env.STREAMCTL_PEER_CACHE ?? join(homedir(), '.cache', 'streamctl-peers');
mkdirSync(cache, { recursive: true });

function hashDir(dir) {
  const h = createHash('sha256');
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      if (name === 'target' || name.startsWith('.')) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(relative(dir, p)).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

const peersDir = join(root, 'peers');
const names = existsSync(peersDir)
  ? readdirSync(peersDir)
      .filter((n) => existsSync(join(peersDir, n, 'fetch.sh')))
      .sort()
  : [];
for (const name of names) {
  const dir = join(peersDir, name);
  const out = join(cache, name);
  const stamp = join(out, '.stamp');
  const hash = hashDir(dir);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
    console.log(`peers: ${name} up to date (${out})`);
    continue;
  }
  console.log(`peers: fetching ${name} into ${out} ...`);
  const started = Date.now();
  mkdirSync(out, { recursive: true });
  const r = spawnSync('bash', [join(dir, 'fetch.sh'), out], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`peers: ${name} fetch failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  writeFileSync(stamp, hash);
  console.log(`peers: ${name} ready in ${((Date.now() - started) / 1000).toFixed(0)}s`);
}
