import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

/**
 * `streamctl demo` smoke test: up, the whole scenario, assertions on the healer's journal and on
 * every view agreeing after the heal, down — and every process the sandbox started is gone afterwards.
 */
describe('streamctl demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamctl-demo-'));
  let pids: number[] = [];

  afterAll(async () => {
    // Whatever happened above, leave no JVM behind.
    await runCli(['demo', 'down', '--dir', dir]);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });

  it(
    'runs the scenario: monitors, a rebalance onto a new broker, a bad deploy healed by the daemon',
    async () => {
      const r = await runCli(['demo', '--dir', dir, '--json']);
      const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
        pids: number[];
        hostPid: number;
        configFile: string;
      };
      pids = [state.hostPid, ...state.pids];
      const lines = r.stdout.trim().split('\n');
      const summary = JSON.parse(
        lines.slice(lines.findIndex((l) => l.startsWith('{\n') || l === '{')).join('\n'),
      );
      expect(r.code, r.stdout.slice(-3000) + r.stderr.slice(-2000)).toBe(0);
      expect(summary.kafka.health).not.toBe('UNKNOWN');
      expect(summary.rebalance).toMatchObject({ executed: true });
      expect(summary.rebalance.partitionsChanged).toBeGreaterThan(0);
      expect(summary.healer).toMatchObject({
        detected: true,
        verdict: 'user',
        action: 'rollback',
        outcome: 'healed',
      });
      // One story after the heal: every view says healed, the incident is resolved, and the
      // loop's first failure is still reachable.
      expect(summary.healer.views, JSON.stringify(summary.healer.views, null, 2)).toMatchObject({
        agree: true,
        incident: 'resolved',
        firstFailureReachable: true,
      });
      expect(summary.healer.views.views.map((v: { view: string }) => v.view)).toEqual([
        'flink status',
        'watch',
        'flink exceptions',
        'healer history',
        'report',
      ]);

      // The journal says the same: one rollback, journaled before and after, verified healed.
      const h = (
        await runCli(['healer', 'history', 'orders-enricher', '--config', state.configFile, '--json'])
      ).json();
      const rollbacks = h.actions.filter((a: { action: { type: string } }) => a.action.type === 'rollback');
      expect(rollbacks).toHaveLength(1);
      expect(rollbacks[0].outcomes.map((o: { status: string }) => o.status)).toEqual(
        expect.arrayContaining(['accepted', 'healed']),
      );
      expect(
        h.decisions.some(
          (d: { classification?: { verdict: string } }) => d.classification?.verdict === 'user',
        ),
      ).toBe(true);
    },
    20 * 60_000,
  );

  it('demo down stops every process the sandbox started', async () => {
    const r = await runCli(['demo', 'down', '--dir', dir, '--json']);
    expect(r.json()).toMatchObject({ stopped: true });
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    for (const pid of pids) {
      expect(() => process.kill(pid, 0), `pid ${pid} still alive`).toThrow();
    }
  });
});
