import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HealerNotification } from '../../../src/healer/act/port.js';
import { runDaemon } from '../../../src/services/healer/daemon.js';

import { SqliteJournal } from '../../../src/services/healer/journal/sqlite.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import { config, logSink, loopingWorld, SteppingClock } from './daemon-world.js';
import { NOW } from './fixtures.js';

describe('runDaemon over the probes’ fakes', () => {
  it('mode act: one rollback for a bad deploy, journaled before and after; metrics and health served; stops on abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-daemon-'));
    const f = loopingWorld();
    const notes: HealerNotification[] = [];
    const stop = new AbortController();
    const clock = new SteppingClock(NOW, 6, stop);
    const { lines, logger } = logSink();
    let url = '';
    const summary = await runDaemon({
      config: config('act', join(dir, 'j.db')),
      logger,
      signal: stop.signal,
      clock,
      ports: f.ports,
      restPort: () => f.rest,
      notifier: {
        channels: ['test'],
        notify: async (n) => {
          notes.push(n);
          return [];
        },
      },
      onListening: (u) => {
        url = u;
      },
    });

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(summary.failedTicks).toBe(0);
    expect(f.msf.calls.filter((c) => c.method === 'rollback')).toEqual([
      { method: 'rollback', args: ['orders', { currentVersionId: 4 }] },
    ]);
    const j = new SqliteJournal(join(dir, 'j.db'));
    const actions = await j.actions();
    await j.close();
    expect(actions).toHaveLength(1);
    expect(actions[0]!.outcomes[0]).toMatchObject({ status: 'accepted' });
    expect(lines.find((l) => l.msg === 'action accepted')).toMatchObject({
      app: 'orders',
      action: 'rollback',
    });
    expect(notes.length).toBeGreaterThan(0);
    expect(lines.at(-1)!.msg).toMatch(/^healer stopping/);
  });

  it('dry-run (the default): the rollback is recorded as what would be done, never called', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-daemon-'));
    const f = loopingWorld();
    const stop = new AbortController();
    const { lines, logger } = logSink();
    await runDaemon({
      config: config('dry-run', join(dir, 'j.db')),
      logger,
      signal: stop.signal,
      clock: new SteppingClock(NOW, 3, stop),
      ports: f.ports,
      restPort: () => f.rest,
      notifier: { channels: [], notify: async () => [] },
    });
    expect(f.msf.calls.some((c) => c.method === 'rollback')).toBe(false);
    expect(lines.find((l) => l.decision === 'record')).toMatchObject({
      reason: 'dry-run',
      proposed: 'rollback',
    });
    expect(String(lines.find((l) => String(l.msg).startsWith('healer started'))!.msg)).toContain('dry-run');
  });

  it('the tag streamctl:healing=off opts an application out: recorded, paged, never acted on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-daemon-'));
    const f = loopingWorld();
    f.msf.apps.get('orders')!.detail.tags = { 'streamctl:healing': 'off' };
    const stop = new AbortController();
    const { lines, logger } = logSink();
    await runDaemon({
      config: config('act', join(dir, 'j.db')),
      logger,
      signal: stop.signal,
      clock: new SteppingClock(NOW, 3, stop),
      ports: f.ports,
      restPort: () => f.rest,
      notifier: { channels: [], notify: async () => [] },
    });
    expect(f.msf.calls.some((c) => c.method === 'rollback')).toBe(false);
    expect(lines.find((l) => l.decision === 'record')).toMatchObject({
      reason: 'healing-disabled-tag',
      proposed: 'rollback',
    });
  });

  it('/healthz turns 503 after N failed ticks in a row; /metrics counts them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-daemon-'));
    const f = loopingWorld();
    f.msf.listApplications = async () => {
      throw new Error('AccessDeniedException: not authorized to perform ListApplications');
    };
    const stop = new AbortController();
    const seen: Array<{ status: number; body: Record<string, unknown> }> = [];
    let url = '';
    const probes: Array<Promise<void>> = [];
    const clock = new SteppingClock(NOW, 4, stop, () => {
      probes.push(
        fetch(`${url}/healthz`).then(async (r) => {
          seen.push({ status: r.status, body: (await r.json()) as Record<string, unknown> });
        }),
      );
    });
    const { logger } = logSink();
    const cfg = config('act', join(dir, 'j.db'));
    cfg.healer.daemon.unhealthyAfterFailedTicks = 2;
    // Longer than the virtual minute each sleep jumps: /healthz, read between ticks, sees the lease live.
    cfg.healer.store.leaseTtl = '5m';
    let metrics = '';
    await runDaemon({
      config: cfg,
      logger,
      signal: stop.signal,
      clock: {
        now: () => clock.now(),
        sleep: async (ms) => {
          await clock.sleep(ms);
          await Promise.all(probes);
          metrics = await (await fetch(`${url}/metrics`)).text();
        },
      },
      ports: f.ports,
      notifier: { channels: [], notify: async () => [] },
      onListening: (u) => {
        url = u;
      },
    });
    expect(seen.map((s) => s.status)).toEqual([200, 503, 503, 503]);
    expect(seen[1]!.body).toMatchObject({ ok: false, status: 'failing', consecutiveFailedTicks: 2 });
    expect(String(seen[1]!.body.lastError)).toContain('AccessDeniedException');
    expect(metrics).toMatch(/streamctl_healer_ticks_total\{kind="full",outcome="error"\} 4/);
    expect(metrics).toContain('streamctl_healer_consecutive_failed_ticks 4');
    expect(seen[0]!.body).toMatchObject({
      role: 'leader',
      lease: 'healer/shard-0',
      token: expect.any(Number),
    });
    expect(metrics).toContain('streamctl_healer_leader 1');
  });

  it('standby while another replica holds the lease: observes, never acts, says who leads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-daemon-'));
    const store = new SqliteStore(join(dir, 'j.db'));
    await store.tryAcquireLease('healer/shard-0', 'replica-b', 3_600_000, NOW);
    const f = loopingWorld();
    const stop = new AbortController();
    let url = '';
    let health: Record<string, unknown> = {};
    let metrics = '';
    const clock = new SteppingClock(NOW, 5, stop);
    const { lines, logger } = logSink();
    await runDaemon({
      config: config('act', join(dir, 'j.db')),
      logger,
      signal: stop.signal,
      store,
      replicaId: 'replica-a',
      clock: {
        now: () => clock.now(),
        sleep: async (ms) => {
          await clock.sleep(ms);
          health = (await (await fetch(`${url}/healthz`)).json()) as Record<string, unknown>;
          metrics = await (await fetch(`${url}/metrics`)).text();
        },
      },
      ports: f.ports,
      restPort: () => f.rest,
      notifier: { channels: [], notify: async () => [] },
      onListening: (u) => {
        url = u;
      },
    });
    expect(f.msf.calls.filter((c) => c.method === 'rollback')).toEqual([]);
    expect(await store.journal().actions()).toEqual([]);
    expect(await store.journal().decisions()).toEqual([]);
    expect(health).toMatchObject({
      ok: true,
      role: 'standby',
      replica: 'replica-a',
      leader: 'replica-b',
      token: 1,
      notActingBecause: 'lease held by replica-b (token 1)',
    });
    expect(metrics).toContain('streamctl_healer_leader 0');
    expect(lines.some((l) => l.msg === 'standby: fleet observed')).toBe(true);
    await store.close();
  });
});
