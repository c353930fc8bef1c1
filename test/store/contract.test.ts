import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteJournal } from '../../src/services/healer/journal/sqlite.js';
import { type CoordinationStore, isStaleFence, LATEST_VERSION, targetKey } from '../../src/store/index.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { useFreshDatabase } from './pg.js';

const NOW = Date.UTC(2026, 0, 1);
const TTL = 15_000;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'streamctl-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const decision = (app: string, at: number) => ({
  at,
  app,
  decision: { kind: 'ignore' as const, reason: 'no-anomaly' as const },
  anomalies: [],
  evidence: {},
});
const lockReq = (owner: string, extra: { expiresAt?: number; fence?: number } = {}) => ({
  target: targetKey('kafka', 'prod'),
  owner,
  pid: 4242,
  host: 'host-a',
  ...extra,
});

// One contract, both adapters (docs/design.md §6). PostgreSQL: a fresh database per test on the real
// server of the run (test/peers/kinds/postgres.ts).
describe.each([
  { name: 'SqliteStore', open: async () => new SqliteStore(join(dir, 'store.db')) as CoordinationStore },
  { name: 'PostgresStore', open: async () => PostgresStore.open({ url: await useFreshDatabase() }) },
])('$name contract', ({ open }) => {
  let s: CoordinationStore;
  beforeEach(async () => {
    s = await open();
  });
  afterEach(async () => {
    await s.close();
  });

  it('runs every migration on open', async () => {
    expect(await s.schemaVersion()).toBe(LATEST_VERSION);
  });

  it('a lease is exclusive until it expires; every acquisition bumps the token; renewal keeps it', async () => {
    const a = await s.tryAcquireLease('healer/shard-0', 'r1', TTL, NOW);
    expect(a).toMatchObject({ ok: true, lease: { holder: 'r1', token: 1, expiresAt: NOW + TTL } });
    const b = await s.tryAcquireLease('healer/shard-0', 'r2', TTL, NOW + 1_000);
    expect(b).toMatchObject({ ok: false, held: { holder: 'r1', token: 1 } });
    // Ours and unexpired: renewed through acquire or renew, same token.
    expect(await s.tryAcquireLease('healer/shard-0', 'r1', TTL, NOW + 2_000)).toMatchObject({
      ok: true,
      lease: { token: 1, expiresAt: NOW + 2_000 + TTL },
    });
    expect(await s.renewLease('healer/shard-0', 'r1', 1, TTL, NOW + 5_000)).toBe(true);
    expect(await s.renewLease('healer/shard-0', 'r2', 1, TTL, NOW + 5_000)).toBe(false);
    // Expired: r2 takes it with token 2; r1 can no longer renew with token 1.
    const c = await s.tryAcquireLease('healer/shard-0', 'r2', TTL, NOW + 5_000 + TTL);
    expect(c).toMatchObject({ ok: true, lease: { holder: 'r2', token: 2 } });
    expect(await s.renewLease('healer/shard-0', 'r1', 1, TTL, NOW + 5_001 + TTL)).toBe(false);
    expect((await s.leases('healer/')).map((l) => [l.name, l.holder, l.token])).toEqual([
      ['healer/shard-0', 'r2', 2],
    ]);
  });

  it('a holder that paused past its lease gets a new token even when nobody else took it', async () => {
    await s.tryAcquireLease('L', 'r1', TTL, NOW);
    expect(await s.renewLease('L', 'r1', 1, TTL, NOW + TTL + 1)).toBe(false);
    expect(await s.tryAcquireLease('L', 'r1', TTL, NOW + TTL + 1)).toMatchObject({
      ok: true,
      lease: { token: 2 },
    });
  });

  it('release frees the lease at once and the next holder still gets a higher token', async () => {
    await s.tryAcquireLease('L', 'r1', TTL, NOW);
    await s.releaseLease('L', 'r1', 1);
    expect(await s.tryAcquireLease('L', 'r2', TTL, NOW + 1)).toMatchObject({ ok: true, lease: { token: 2 } });
  });

  it('takes over the lease of a holder the caller knows is dead, only if it is still exactly that one', async () => {
    await s.tryAcquireLease('L', 'host/1', TTL, NOW);
    expect(
      (await s.tryAcquireLease('L', 'r2', TTL, NOW + 1, { takeOverFrom: { holder: 'host/1', token: 9 } })).ok,
    ).toBe(false);
    expect(
      await s.tryAcquireLease('L', 'r2', TTL, NOW + 1, { takeOverFrom: { holder: 'host/1', token: 1 } }),
    ).toMatchObject({ ok: true, lease: { holder: 'r2', token: 2 } });
  });

  it('only one of many concurrent acquisitions wins', async () => {
    const rs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => s.tryAcquireLease('race', `r${i}`, TTL, NOW)),
    );
    expect(rs.filter((r) => r.ok)).toHaveLength(1);
  });

  it('rejects journal writes and locks under a stale token, atomically (nothing written)', async () => {
    await s.tryAcquireLease('healer/shard-0', 'r1', TTL, NOW);
    const old = s.journal({ lease: 'healer/shard-0', token: 1 });
    await old.recordDecision(decision('a', NOW));
    await s.tryAcquireLease('healer/shard-0', 'r2', TTL, NOW + TTL);
    const fresh = s.journal({ lease: 'healer/shard-0', token: 2 });
    const err = await old.recordDecision(decision('b', NOW + TTL)).catch((e) => e);
    expect(isStaleFence(err)).toBe(true);
    expect(err.message).toMatch(/stale fencing token 1 for lease healer\/shard-0 \(current: 2\)/);
    await expect(
      old.recordIntent({
        at: NOW,
        app: 'b',
        action: { type: 'force-stop' },
        reason: 'x',
        operation: 'StopApplication',
      }),
    ).rejects.toThrow(/stale fencing token/);
    const lock = await s
      .tryLock(lockReq('healer r1'), NOW, { fence: { lease: 'healer/shard-0', token: 1 } })
      .catch((e) => e);
    expect(isStaleFence(lock)).toBe(true);
    await fresh.recordDecision(decision('c', NOW + TTL));
    expect((await fresh.decisions()).map((d) => d.app)).toEqual(['a', 'c']);
    expect(await fresh.actions()).toEqual([]);
    expect(await s.readLock(targetKey('kafka', 'prod'))).toBeUndefined();
  });

  it('a lock refuses naming its holder; released only by its own acquisition', async () => {
    const a = await s.tryLock(lockReq('streamctl kafka rebalance execute'), NOW);
    expect(a.ok).toBe(true);
    const b = await s.tryLock(lockReq('streamctl healer'), NOW + 1);
    expect(b).toMatchObject({
      ok: false,
      held: { owner: 'streamctl kafka rebalance execute', pid: 4242, host: 'host-a', acquiredAt: NOW },
    });
    await s.unlock(targetKey('kafka', 'prod'), 'not-the-id');
    expect(await s.readLock(targetKey('kafka', 'prod'))).toMatchObject({
      owner: 'streamctl kafka rebalance execute',
    });
    if (!a.ok) throw new Error('unreachable');
    await s.unlock(a.lock.target, a.lock.id);
    expect(await s.locks()).toEqual([]);
  });

  it('takes over only the stale lock it named, and force-unlock removes any', async () => {
    const a = await s.tryLock(lockReq('dead executor', { expiresAt: NOW + 10 }), NOW);
    if (!a.ok) throw new Error('not taken');
    expect((await s.tryLock(lockReq('x'), NOW + 20, { takeOver: 'other-id' })).ok).toBe(false);
    const b = await s.tryLock(lockReq('healer', { fence: 3 }), NOW + 20, { takeOver: a.lock.id });
    expect(b).toMatchObject({ ok: true, lock: { owner: 'healer', fence: 3 } });
    expect(await s.forceUnlock(targetKey('kafka', 'prod'))).toMatchObject({ owner: 'healer' });
    expect(await s.forceUnlock(targetKey('kafka', 'prod'))).toBeUndefined();
  });

  it('journals operator actions before and after', async () => {
    const id = await s.recordOperatorAction({
      at: NOW,
      actor: 'cli',
      target: targetKey('flink', 'orders'),
      action: 'rollback',
    });
    await s.recordOperatorAction({
      at: NOW + 1,
      actor: 'cli',
      target: targetKey('kafka', 'prod'),
      action: 'x',
    });
    expect((await s.operatorActions({ target: targetKey('flink', 'orders') }))[0]).toEqual({
      id,
      at: NOW,
      actor: 'cli',
      target: 'flink:orders',
      action: 'rollback',
    });
    await s.recordOperatorOutcome(id, NOW + 5, 'done', 'operation op-1');
    expect((await s.operatorActions({ limit: 2 }))[0]!.outcome).toEqual({
      at: NOW + 5,
      status: 'done',
      detail: 'operation op-1',
    });
  });
});

describe('SqliteStore on a journal an older daemon wrote', () => {
  it('keeps its rows and adds the coordination tables', async () => {
    const file = join(dir, 'journal.db');
    const old = new SqliteJournal(file);
    await old.recordDecision(decision('orders', NOW));
    await old.close();
    const s = new SqliteStore(file);
    expect(await s.schemaVersion()).toBe(LATEST_VERSION);
    expect((await s.journal().decisions()).map((d) => d.app)).toEqual(['orders']);
    await s.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(
      Array.from({ length: LATEST_VERSION }, (_, i) => i + 1),
    );
    db.close();
  });
});
