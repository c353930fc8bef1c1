import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionResult, HealerActions } from '../../../src/healer/act/port.js';
import type { AppObservation } from '../../../src/healer/observation.js';
import { LockAwareObserver, LockedHealerActions } from '../../../src/services/healer/coordination.js';
import {
  healerHistory,
  healerStatus,
  renderHistory,
  renderStatus,
} from '../../../src/services/healer/journal-view.js';
import { LeaderLease, type LeaseChange } from '../../../src/services/healer/lease.js';
import type { FleetObserver } from '../../../src/services/healer/tick.js';
import { type CoordinationStore, isStaleFence } from '../../../src/store/index.js';
import { PostgresStore } from '../../../src/store/postgres.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import { acquireTargetLock } from '../../../src/store/target-lock.js';
import { trackPid, untrackPid } from '../../peers/pids.js';
import { startPostgresServer } from '../../peers/sandbox/postgres/server.js';
import { bindPidDir } from '../../peers/use.js';
import { freshDatabaseOn, useFreshDatabase } from '../../store/pg.js';
import { configOf, NOW } from './fixtures.js';

const TTL = 15_000;
const LEASE = 'healer/shard-0';

class ManualClock {
  constructor(public t = NOW) {}
  now() {
    return this.t;
  }
  async sleep(ms: number) {
    this.t += ms;
  }
}

class RecordingActions implements HealerActions {
  calls: string[] = [];
  async rollback(t: { name: string }, v: number): Promise<ActionResult> {
    this.calls.push(`rollback ${t.name} ${v}`);
    return { ok: true, operationId: 'op-1' };
  }
  async forceStop(t: { name: string }): Promise<ActionResult> {
    this.calls.push(`force-stop ${t.name}`);
    return { ok: true };
  }
  async redeploySelfManaged(): Promise<ActionResult> {
    return { ok: true };
  }
  async notify() {
    this.calls.push('notify');
  }
}

const orders = { name: 'orders', kind: 'managed' as const, applicationName: 'orders' };

describe.each([
  {
    name: 'SQLite',
    open: async () =>
      new SqliteStore(join(mkdtempSync(join(tmpdir(), 'lead-')), 's.db')) as CoordinationStore,
  },
  { name: 'PostgreSQL', open: async () => PostgresStore.open({ url: await useFreshDatabase() }) },
])('leader lease and fencing on $name', ({ open }) => {
  let store: CoordinationStore;
  let clock: ManualClock;
  beforeEach(async () => {
    store = await open();
    clock = new ManualClock();
  });
  afterEach(async () => {
    await store.close();
  });

  it('exactly one replica leads; a leader paused past its lease is fenced out of the journal and actions', async () => {
    const changes: Array<[string, LeaseChange]> = [];
    const a = new LeaderLease(store, LEASE, 'A', TTL, clock, (c) => changes.push(['A', c]));
    const b = new LeaderLease(store, LEASE, 'B', TTL, clock, (c) => changes.push(['B', c]));
    await a.refresh();
    await b.refresh();
    expect(a.view()).toMatchObject({ role: 'leader', token: 1 });
    expect(b.view()).toMatchObject({ role: 'standby', holder: 'A', token: 1 });
    const oldFence = a.fence()!;

    // A is paused (SIGSTOP, GC) past its lease; B takes over with token 2.
    clock.t += TTL + 1;
    expect(a.fence()).toBeUndefined(); // A's own clock already says it must not act
    await b.refresh();
    expect(b.view()).toMatchObject({ role: 'leader', token: 2 });
    expect(changes).toContainEqual([
      'B',
      { kind: 'acquired', token: 2, continuous: false, previousHolder: 'A' },
    ]);

    // What A had in flight when it froze carries token 1: rejected by the store, nothing written.
    const err = await store
      .journal(oldFence)
      .recordIntent({
        at: clock.t,
        app: 'orders',
        action: { type: 'force-stop' },
        reason: 'x',
        operation: 'StopApplication',
      })
      .catch((e) => e);
    expect(isStaleFence(err)).toBe(true);
    const inner = new RecordingActions();
    const stale = new LockedHealerActions(
      inner,
      store,
      'A',
      () => oldFence,
      () => clock.t,
    );
    expect(isStaleFence(await stale.rollback(orders, 4).catch((e) => e))).toBe(true);
    expect(inner.calls).toEqual([]);
    expect(await store.journal().actions()).toEqual([]);

    await a.refresh();
    expect(a.view()).toMatchObject({
      role: 'standby',
      holder: 'B',
      reason: expect.stringContaining('held by B'),
    });
  });

  it('a holder killed on this host (kill -9, restart) is taken over at once, not after the lease', async () => {
    const child = spawn('sleep', ['30']);
    const pid = child.pid!;
    await store.tryAcquireLease(LEASE, `${hostname()}/${pid}`, TTL, clock.t);
    const b = new LeaderLease(store, LEASE, 'B', TTL, clock);
    await b.refresh();
    expect(b.view().role).toBe('standby'); // alive: wait for it
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    await b.refresh();
    expect(b.view()).toMatchObject({ role: 'leader', token: 2 });
  });

  it('a clean stop releases the lease: the standby takes over at its next refresh', async () => {
    const a = new LeaderLease(store, LEASE, 'A', TTL, clock);
    const b = new LeaderLease(store, LEASE, 'B', TTL, clock);
    await a.refresh();
    await b.refresh();
    await a.stop();
    await b.refresh();
    expect(b.view()).toMatchObject({ role: 'leader', token: 2 });
  });

  it('the healer acts under the app lock and the fence, refuses while another actor holds it', async () => {
    const lease = new LeaderLease(store, LEASE, 'A', TTL, clock);
    await lease.refresh();
    const inner = new RecordingActions();
    const acts = new LockedHealerActions(
      inner,
      store,
      'A',
      () => lease.fence(),
      () => clock.t,
    );
    expect(await acts.rollback(orders, 4)).toEqual({ ok: true, operationId: 'op-1' });
    expect(await store.locks()).toEqual([]); // released after the call

    const runbook = await acquireTargetLock(store, {
      target: 'flink:orders',
      owner: 'streamctl runbook restart-loop',
      now: clock.t,
    });
    // Held by an operator's process (here: this one, under another owner and no fence).
    const observer: FleetObserver = {
      observe: async () => [{ app: { name: 'orders', kind: 'managed' } } as unknown as AppObservation],
      enrich: async (o) => o,
    };
    const [obs] = await new LockAwareObserver(observer, store, () => lease.fence()).observe(clock.t);
    expect(obs!.lock).toMatchObject({
      kind: 'streamctl-action',
      holder: expect.stringContaining('streamctl runbook restart-loop'),
    });
    await runbook.release();
    expect(inner.calls).toEqual(['rollback orders 4']);
  });

  it('a lock left by an older leader (lower token) is superseded, not waited for', async () => {
    const a = new LeaderLease(store, LEASE, 'A', TTL, clock);
    await a.refresh();
    await store.tryLock(
      {
        target: 'flink:orders',
        owner: 'streamctl healer (replica A)',
        pid: 1,
        host: 'elsewhere',
        expiresAt: clock.t + 600_000,
        fence: 1,
      },
      clock.t,
    );
    clock.t += TTL + 1;
    const b = new LeaderLease(store, LEASE, 'B', TTL, clock);
    await b.refresh();
    const inner = new RecordingActions();
    const acts = new LockedHealerActions(
      inner,
      store,
      'B',
      () => b.fence(),
      () => clock.t,
    );
    expect(await acts.forceStop(orders)).toEqual({ ok: true });
    expect(inner.calls).toEqual(['force-stop orders']);
  });
});

describe('PostgreSQL down longer than a lease', () => {
  it('the leader stops acting once its lease expires, says why, and leads again when the store returns', async () => {
    bindPidDir();
    const server = await startPostgresServer({
      onSpawn: (p, l) => trackPid(p, l),
      onExit: (p) => untrackPid(p),
    });
    const store = await PostgresStore.open({
      url: await freshDatabaseOn(server.info().url),
      statementTimeoutMs: 1_000,
    });
    try {
      const clock = new ManualClock();
      const lease = new LeaderLease(store, LEASE, 'A', TTL, clock);
      await lease.refresh();
      expect(lease.view().role).toBe('leader');
      await server.stop();
      clock.t += 5_000;
      await lease.refresh(); // cannot renew, but the lease has not expired yet
      expect(lease.view()).toMatchObject({ role: 'leader', token: 1 });
      clock.t += TTL;
      expect(lease.fence()).toBeUndefined();
      await lease.refresh();
      expect(lease.view()).toMatchObject({
        role: 'standby',
        reason: expect.stringMatching(/^store unavailable: /),
      });
      const acts = new LockedHealerActions(
        new RecordingActions(),
        store,
        'A',
        () => lease.fence(),
        () => clock.t,
      );
      expect(await acts.rollback(orders, 4)).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
      await server.start();
      await lease.refresh();
      expect(lease.view()).toMatchObject({ role: 'leader', token: 2 });
    } finally {
      await store.close();
      await server.destroy();
    }
  });
});

describe('healer status shows who leads', () => {
  it('names the leader, its fencing token and lease age, and the locks held', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lead-status-')), 'j.db');
    const store = new SqliteStore(file);
    await store.tryAcquireLease(LEASE, 'host-b/42', 120_000, NOW - 90_000);
    expect(await store.renewLease(LEASE, 'host-b/42', 1, 120_000, NOW - 5_000)).toBe(true);
    await store.tryLock(
      { target: 'kafka:prod', owner: 'streamctl kafka rebalance execute', pid: 7, host: 'h' },
      NOW,
    );
    await store.close();
    const view = await healerStatus(configOf({ healer: { journal: file } }), NOW);
    expect(view.leases).toMatchObject([{ name: LEASE, holder: 'host-b/42', token: 1 }]);
    const text = renderStatus(view);
    expect(text).toContain(
      'Leader (healer/shard-0): host-b/42, fencing token 1, lease age 1m 30s, renewed 5s ago',
    );
    expect(text).toContain('Lock kafka:prod: streamctl kafka rebalance execute (pid 7 on h)');
  });

  it("healer history lists the operators' actions (CLI, runbooks) beside the healer's", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lead-history-')), 'j.db');
    const store = new SqliteStore(file);
    const id = await store.recordOperatorAction({
      at: NOW,
      actor: 'cli',
      target: 'flink:orders',
      action: 'rollback',
    });
    await store.recordOperatorOutcome(id, NOW + 1_000, 'done', 'operation op-7');
    await store.recordOperatorAction({ at: NOW, actor: 'cli', target: 'flink:other', action: 'force-stop' });
    await store.close();
    const view = await healerHistory(configOf({ healer: { journal: file } }), { app: 'orders', limit: 10 });
    expect(view.operatorActions).toHaveLength(1);
    expect(renderHistory(view)).toMatch(
      /Operator actions, CLI and runbooks \(1\):[\s\S]*cli\s+flink:orders\s+rollback\s+done: operation op-7/,
    );
  });
});
