import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { CASES, type HostileCase } from './cases.js';
import { type Fault, startFaultServers } from './fault-servers.js';
import { caseDir, listing, SECRETS } from './fixture.js';

/**
 * The hostile-input suite: every case of cases.ts runs the real CLI (bin/run.js, compiled) in a
 * fresh directory. Beyond its own exit code, words and absent files, every case must show no
 * stack trace and no secret, leave every input byte-for-byte as it was, and create no file it
 * was not expected to write: no partial file and no temp file left behind.
 */
const dirs: string[] = [];
let servers: Awaited<ReturnType<typeof startFaultServers>>;
beforeAll(async () => {
  servers = await startFaultServers();
});
afterAll(async () => {
  await servers?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `%PORT:hang%` → the port of the server with that fault. */
const ports = (text: string) =>
  text.replace(/%PORT:([a-z0-9]+)%/g, (_m, f: string) => String(servers.ports[f as Fault]));

/** A stack frame (`at fn (file:1:2)`), oclif's bug banner, or an unmapped exception. */
const STACK =
  /^\s+at .+:\d+:\d+\)?$|This looks like a bug|unexpected error|std::bad_alloc|heap out of memory/m;

const path = (dir: string, arg: string) => (arg.startsWith('@') ? join(dir, arg.slice(1)) : arg);

async function run(c: HostileCase) {
  const dir = caseDir();
  dirs.push(dir);
  for (const [name, content] of Object.entries(c.files ?? {}))
    writeFileSync(join(dir, name), typeof content === 'string' ? ports(content) : content);
  c.setup?.(dir);
  const before = listing(dir);
  const r = await runCli(
    c.args.map((a) => path(dir, a)),
    { cwd: dir, env: { HOME: dir, ...c.env }, ...(c.stdin === undefined ? {} : { input: c.stdin }) },
  );
  return { dir, before, after: listing(dir), r };
}

describe(`hostile inputs (${CASES.length} cases)`, () => {
  it('has a unique name for every case', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.concurrent.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { dir, before, after, r } = await run(c);
    const out = `${r.stdout}\n${r.stderr}`;
    // Exit code first: on a mismatch, the output says why.
    expect({ code: r.code, out }).toMatchObject({ code: c.exit });
    for (const w of c.words) expect(out).toContain(w.replaceAll('@', ''));
    expect(out).not.toMatch(STACK);
    for (const s of SECRETS) expect(out).not.toContain(s);
    for (const f of c.absent ?? []) expect(existsSync(join(dir, f)), `${f} must not exist`).toBe(false);
    // Inputs unchanged, and nothing new but what the case writes.
    const expected = { ...before };
    for (const f of c.writes ?? []) expected[f] = after[f] ?? '(missing)';
    expect(after).toEqual(expected);
  });
});
