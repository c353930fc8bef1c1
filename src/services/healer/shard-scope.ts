/**
 * What one shard of a sharded daemon sees: its applications' part of the journal, and (shared by
 * the shards of one replica) one ListApplications per region and tick instead of one per shard.
 */
import type { Clock } from '../../core/clock.js';
import type { HealerJournal } from '../../healer/journal/port.js';
import type { ManagedApplicationSummary, ManagedFlinkPort } from '../../probes/managed-flink/port.js';
import type { FlinkPorts } from '../flink/context.js';

/**
 * The journal of the applications `inScope` accepts: reads are filtered (a shard resumes only its
 * own incidents and unfinished actions), writes go through (the store fences them with the shard's
 * token). `actionsSince` is NOT filtered: it feeds the hourly action budget, which stays
 * fleet-wide. `k` widens the read limits so a filtered page is about as long as asked.
 */
export function shardJournal(
  inner: HealerJournal,
  inScope: (app: string) => boolean,
  k: number,
): HealerJournal {
  const wide = (opts?: { app?: string; limit?: number }) =>
    opts?.limit !== undefined && !opts.app ? { ...opts, limit: opts.limit * k } : opts;
  const cut = <T>(rows: T[], limit: number | undefined) =>
    limit === undefined ? rows : rows.slice(0, limit);
  return {
    recordDecision: (r) => inner.recordDecision(r),
    recordIntent: (r) => inner.recordIntent(r),
    recordOutcome: (r) => inner.recordOutcome(r),
    upsertIncident: (i) => inner.upsertIncident(i),
    unfinishedActions: async () => (await inner.unfinishedActions()).filter((a) => inScope(a.app)),
    actionsSince: (since) => inner.actionsSince(since),
    openIncidents: async () => (await inner.openIncidents()).filter((i) => inScope(i.app)),
    decisions: async (o) =>
      cut(
        (await inner.decisions(wide(o))).filter((d) => inScope(d.app)),
        o?.limit,
      ),
    actions: async (o) =>
      cut(
        (await inner.actions(wide(o))).filter((a) => inScope(a.app)),
        o?.limit,
      ),
    incidents: async (o) =>
      cut(
        (await inner.incidents(wide(o))).filter((i) => inScope(i.app)),
        o?.limit,
      ),
    close: () => inner.close(),
  };
}

/**
 * The ports with ListApplications shared for `maxAgeMs` per region (in flight included): the
 * shards of one replica tick at about the same time and each needs the whole region's listing.
 */
export function sharedListings(ports: FlinkPorts, clock: Clock, maxAgeMs: number): FlinkPorts {
  const cache = new Map<string, { at: number; list: Promise<ManagedApplicationSummary[]> }>();
  const msfs = new Map<string, ManagedFlinkPort>();
  const msf = (region?: string): ManagedFlinkPort => {
    const key = region ?? '';
    let p = msfs.get(key);
    if (p) return p;
    const inner = ports.msf(region);
    const listApplications = (): Promise<ManagedApplicationSummary[]> => {
      const now = clock.now();
      const hit = cache.get(key);
      if (hit && now - hit.at < maxAgeMs) return hit.list;
      const list = inner.listApplications();
      cache.set(key, { at: now, list });
      // A failure is not shared beyond the calls in flight.
      list.catch(() => {
        if (cache.get(key)?.list === list) cache.delete(key);
      });
      return list;
    };
    p = new Proxy(inner, {
      get: (t, prop) => {
        if (prop === 'listApplications') return listApplications;
        const v = Reflect.get(t, prop, t);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    msfs.set(key, p);
    return p;
  };
  return {
    msf,
    cloudWatch: (region) => ports.cloudWatch(region),
    logs: (region) => ports.logs(region),
    apiCallStats: () => ports.apiCallStats(),
    close: () => ports.close(),
  };
}
