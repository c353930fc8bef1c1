import { describe, expect, it } from 'vitest';
import {
  fnv1a32,
  planShards,
  type ShardHold,
  type ShardMember,
  shardLeaseName,
  shardOf,
  shardOfLease,
} from '../../src/healer/shards.js';

const NOW = Date.UTC(2026, 0, 1);
const live = (...rs: string[]): ShardMember[] => rs.map((replica) => ({ replica, expiresAt: NOW + 10_000 }));
const held = (holder: string, ...shards: number[]): ShardHold[] =>
  shards.map((shard) => ({ shard, holder, expiresAt: NOW + 10_000 }));

describe('shard of an application', () => {
  it('is FNV-1a 32 of the name, mod K (known vectors: stable across processes)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(shardOf('foobar', 8)).toBe(0xbf9cf968 % 8);
  });

  it('K = 1 puts every application in shard 0, the single lease of an unsharded fleet', () => {
    expect(shardOf('anything', 1)).toBe(0);
    expect(shardLeaseName(0)).toBe('healer/shard-0');
    expect(shardOfLease('healer/shard-12')).toBe(12);
    expect(shardOfLease('healer/other')).toBeUndefined();
  });

  it('spreads 20,000 names within 10 % of even over 8 shards', () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 20_000; i++) counts[shardOf(`app-${String(i).padStart(5, '0')}`, 8)]++;
    for (const c of counts) expect(Math.abs(c - 2_500)).toBeLessThan(250);
  });
});

describe('planShards', () => {
  it('a lone replica takes every shard', () => {
    const p = planShards({ me: 'a', k: 4, now: NOW, members: [], holds: [] });
    expect(p).toMatchObject({ live: ['a'], target: 4, acquire: [0, 1, 2, 3], release: [] });
  });

  it('three replicas starting together aim at ceil(8/3) = 3 each and try different shards first', () => {
    const members = live('a', 'b', 'c');
    const picks = ['a', 'b', 'c'].map((me) => planShards({ me, k: 8, now: NOW, members, holds: [] }).acquire);
    expect(picks).toEqual([
      [0, 1, 2],
      [2, 3, 4],
      [5, 6, 7],
    ]);
  });

  it('a balanced fleet changes nothing (no flapping)', () => {
    const holds = [...held('a', 0, 1, 2), ...held('b', 3, 4, 5), ...held('c', 6, 7)];
    for (const me of ['a', 'b', 'c']) {
      const p = planShards({ me, k: 8, now: NOW, members: live('a', 'b', 'c'), holds });
      expect(p.acquire).toEqual([]);
      expect(p.release).toEqual([]);
    }
  });

  it('a replica that joins makes the others release their surplus, which it takes', () => {
    const holds = [...held('a', 0, 1, 2, 3), ...held('b', 4, 5, 6, 7)];
    const members = live('a', 'b', 'c');
    const a = planShards({ me: 'a', k: 8, now: NOW, members, holds });
    expect(a).toMatchObject({ target: 3, keep: [0, 1, 2], release: [3] });
    const after = holds.filter((h) => h.shard !== 3 && h.shard !== 7);
    const c = planShards({ me: 'c', k: 8, now: NOW, members, holds: after });
    expect(c.acquire).toEqual([7, 3]);
    // a, back at its target with c still below it, does not take back what it released.
    expect(
      planShards({
        me: 'a',
        k: 8,
        now: NOW,
        members,
        holds: after.filter((h) => h.holder !== 'b' || h.shard < 7),
      }).acquire,
    ).toEqual([]);
  });

  it('a dead replica’s shards move once its leases expire, not before', () => {
    const holds = [...held('a', 0, 1, 2), ...held('b', 3, 4, 5)];
    const cDying = [6, 7].map((shard) => ({ shard, holder: 'c', expiresAt: NOW + 3_000 }));
    const members = [...live('a', 'b'), { replica: 'c', expiresAt: NOW - 1 }];
    expect(planShards({ me: 'a', k: 8, now: NOW, members, holds: [...holds, ...cDying] }).acquire).toEqual(
      [],
    );
    const later = NOW + 3_000;
    const pa = planShards({
      me: 'a',
      k: 8,
      now: later,
      members: live('a', 'b'),
      holds: [...holds, ...cDying],
    });
    expect(pa).toMatchObject({ live: ['a', 'b'], target: 4, acquire: [6] });
    const pb = planShards({
      me: 'b',
      k: 8,
      now: later,
      members: live('a', 'b'),
      holds: [...holds, ...cDying],
    });
    expect(pb.acquire).toEqual([6]); // a race the store settles: the loser takes 7 next round
    const next = planShards({
      me: 'b',
      k: 8,
      now: later,
      members: live('a', 'b'),
      holds: [...holds, ...held('a', 6)],
    });
    expect(next.acquire).toEqual([7]);
  });

  it('no shard stays free: every replica taking its plan covers all K shards', () => {
    for (const k of [1, 2, 5, 8, 13]) {
      for (const n of [1, 2, 3, 4, 7]) {
        const names = Array.from({ length: n }, (_, i) => `r${i}`);
        let holds: ShardHold[] = [];
        for (let round = 0; round < 3; round++)
          for (const me of names) {
            const p = planShards({ me, k, now: NOW, members: live(...names), holds });
            const taken = new Set(holds.map((h) => h.shard));
            holds = holds.filter((h) => !p.release.includes(h.shard) || h.holder !== me);
            for (const s of p.acquire) if (!taken.has(s)) holds.push(...held(me, s));
          }
        expect(new Set(holds.map((h) => h.shard)).size).toBe(k);
        for (const me of names)
          expect(holds.filter((h) => h.holder === me).length).toBeLessThanOrEqual(Math.ceil(k / n));
      }
    }
  });

  it('refuses to act beside a replica running with another K, releasing every shard', () => {
    const members = [...live('a'), { replica: 'b', expiresAt: NOW + 10_000, k: 4 }];
    const p = planShards({ me: 'a', k: 8, now: NOW, members, holds: held('a', 0, 1, 2) });
    expect(p).toMatchObject({ keep: [], acquire: [], release: [0, 1, 2] });
    expect(p.conflict).toMatch(/replica b runs with 4 shards and this one with 8/);
    // A member of another K that is gone no longer matters.
    const gone = [...live('a'), { replica: 'b', expiresAt: NOW - 1, k: 4 }];
    expect(planShards({ me: 'a', k: 8, now: NOW, members: gone, holds: [] }).conflict).toBeUndefined();
  });

  it('refuses to act while a healer that never joined the membership holds a lease (K = 1)', () => {
    const p = planShards({ me: 'a', k: 8, now: NOW, members: live('a', 'b'), holds: held('host/42', 0) });
    expect(p.acquire).toEqual([]);
    expect(p.conflict).toMatch(/host\/42 holds healer\/shard-0 without joining the shard membership/);
    // A dead member's lease (its row stays, expired) is no stranger: it moves after expiry.
    const dead = [...live('a'), { replica: 'c', expiresAt: NOW - 1 }];
    expect(
      planShards({ me: 'a', k: 8, now: NOW, members: dead, holds: held('c', 3) }).conflict,
    ).toBeUndefined();
  });

  it('leases of shards beyond K (after K shrank) are ignored', () => {
    const p = planShards({ me: 'a', k: 2, now: NOW, members: [], holds: held('a', 5) });
    expect(p).toMatchObject({ keep: [], acquire: [0, 1] });
  });
});
