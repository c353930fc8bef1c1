import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

/** The commands' contract without a cluster: bad input, configuration and nothing to cancel. */
describe('kafka rebalance execute / status / cancel: errors before any cluster is touched', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebal-cmd-'));
  const cfg = join(dir, 'streamctl.yaml');
  writeFileSync(
    cfg,
    [
      // The coordination store (locks, operator journal) in the test's dir, not in the cwd.
      'healer:',
      `  journal: ${JSON.stringify(join(dir, 'store.db'))}`,
      'kafka:',
      '  clusters:',
      '    - name: down',
      '      bootstrap: ["127.0.0.1:1"]',
    ].join('\n'),
  );
  const plan = join(dir, 'plan.json');
  writeFileSync(plan, '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,1]}]}');
  const base = ['--config', cfg, '--state-dir', join(dir, 'state'), '--json'];

  it.each([
    [
      'a plan with a broker twice (exit 65, names file and field)',
      ['kafka', 'rebalance', 'execute', '--plan', plan, '-c', 'down', '--yes', ...base],
      65,
      /plan\.json: partitions\[0\]\.replicas: expected distinct broker ids/,
    ],
    [
      'a missing plan file (exit 65)',
      ['kafka', 'rebalance', 'execute', '--plan', join(dir, 'nope.json'), '-c', 'down', '--yes', ...base],
      65,
      /no such reassignment plan/,
    ],
    [
      'an unknown cluster (exit 78)',
      ['kafka', 'rebalance', 'status', '-c', 'nope', ...base],
      78,
      /unknown Kafka cluster "nope"/,
    ],
    [
      'cancel with nothing recorded (exit 65)',
      ['kafka', 'rebalance', 'cancel', '-c', 'down', '--yes', ...base],
      65,
      /no rebalance execution recorded for down/,
    ],
    [
      'a bad throttle (exit 64)',
      ['kafka', 'rebalance', 'execute', '--plan', plan, '-c', 'down', '--throttle', '50Mb/s', ...base],
      64,
      /in bits/,
    ],
  ])('%s', async (_, args, code, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(code);
    expect(r.json().error.message).toMatch(message);
  });
});
