/** `streamctl flink classify` end to end through the real CLI (bin/run.js). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from './corpus.js';

const TEXTS = join(CORPUS_DIR, 'texts');

describe('streamctl flink classify', () => {
  it('prints exactly the docs/design.md §3 JSON for a corpus case', async () => {
    const r = await runCli([
      'flink',
      'classify',
      '--file',
      join(TEXTS, 'heartbeat-tm-timeout-pekko.txt'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = r.json();
    expect(Object.keys(out)).toEqual(['verdict', 'confidence', 'subtype', 'rootCause', 'signals']);
    expect(out).toMatchObject({
      verdict: 'system',
      subtype: 'taskmanager-lost',
      rootCause: { exception: 'java.util.concurrent.TimeoutException' },
    });
  });

  it('reads standard input with --file - and explains itself in plain text', async () => {
    const r = await runCli(['flink', 'classify', '--file', '-'], {
      input: 'java.lang.NullPointerException\n\tat com.acme.Enrich.map(Enrich.java:42)\n',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('USER (confidence');
    expect(r.stdout).toContain('npe-in-user-function');
    expect(r.stdout).toContain('at com.acme.Enrich.map(Enrich.java:42)');
    expect(r.stdout).toContain('user-frame-at-top-of-root-cause');
  });

  it('--explain shows the cause chain with frame owners and the deciding step; --json adds it as explanation', async () => {
    const file = join(TEXTS, 'heartbeat-tm-timeout-pekko.txt');
    const human = await runCli(['flink', 'classify', '--file', file, '--explain']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Cause chain (outermost first):');
    expect(human.stdout).toContain('[Flink] org.apache.flink.runtime.jobmaster.JobMaster');
    expect(human.stdout).toMatch(/Ownership: .* was thrown in flink code/);
    expect(human.stdout).toContain('Decision: system');
    const json = (await runCli(['flink', 'classify', '--file', file, '--explain', '--json'])).json();
    expect(Object.keys(json)).toEqual([
      'verdict',
      'confidence',
      'subtype',
      'rootCause',
      'signals',
      'explanation',
    ]);
    expect(json.explanation.chain[0].frames[0].owner).toBe('flink');
  });

  it('takes a recent change into account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-classify-'));
    const f = join(dir, 'err.txt');
    writeFileSync(
      f,
      'org.apache.kafka.common.errors.TimeoutException: Timeout expired while fetching topic metadata\n',
    );
    const args = ['flink', 'classify', '--file', f, '--json', '--failed-at', '2026-11-22T01:00:00Z'];
    // A client that never got metadata reads the same with brokers down or a wrong address: unknown.
    expect((await runCli(args)).json().verdict).toBe('unknown');
    const after = (
      await runCli([...args, '--changed-at', '2026-11-22T00:55:00Z', '--change-kind', 'endpoint'])
    ).json();
    expect(after).toMatchObject({ verdict: 'user', subtype: 'bad-config-endpoint' });
  });

  it('never prints a secret that was part of the failure text', async () => {
    const text =
      "java.sql.SQLException: Access denied for user 'etl' (url jdbc:mysql://db:3306/x?user=etl&password=hunter2secret)\n";
    const json = await runCli(['flink', 'classify', '--file', '-', '--json'], { input: text });
    const human = await runCli(['flink', 'classify', '--file', '-'], { input: text });
    expect(json.stdout).not.toContain('hunter2secret');
    expect(human.stdout).not.toContain('hunter2secret');
    expect(json.json().verdict).toBe('user');
  });

  it.each([
    [
      'an APP argument without a configuration (live mode needs streamctl.yaml)',
      ['flink', 'classify', 'orders-app'],
      78,
      'no configuration file found',
    ],
    ['no input', ['flink', 'classify'], 64, '--file'],
    [
      'a missing file',
      ['flink', 'classify', '--file', '/nonexistent/x.txt'],
      65,
      '/nonexistent/x.txt: no such input file',
    ],
    [
      'a bad time',
      [
        'flink',
        'classify',
        '--file',
        join(TEXTS, 'heartbeat-tm-timeout-pekko.txt'),
        '--changed-at',
        'yesterday',
      ],
      // A bad flag value is usage (64), not bad data.
      64,
      '--changed-at',
    ],
  ])('refuses %s with a clear message and no stack trace', async (_name, args, code, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
