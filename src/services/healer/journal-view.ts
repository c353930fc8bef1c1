/**
 * `streamctl healer history` and `healer status`: the journal, read-only, for a human (tables) and
 * as JSON. History lists decisions (with reasons, anomalies, the classification and the evidence
 * they were made on), actions (the intent before the call, every outcome after) and incidents.
 * Status is "what is going on now": open incidents, unfinished actions, the budget used this hour,
 * and each application's latest decision.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../../config/schema.js';
import { formatDuration, renderTable } from '../../core/output.js';
import type { Incident } from '../../healer/incident.js';
import type { ActionHistory, DecisionRecord, HealerJournal } from '../../healer/journal/port.js';
import { openStore } from '../../store/index.js';
import {
  type CoordinationStore,
  type LeaseRecord,
  type MemberRecord,
  type OperatorActionHistory,
  type TargetLock,
  targetKey,
} from '../../store/port.js';

export interface HistoryView {
  journal: string;
  app?: string;
  /** Oldest first. */
  decisions: DecisionRecord[];
  actions: ActionHistory[];
  incidents: Incident[];
  /** What operators did through the CLI and runbooks (journaled before and after), newest last. */
  operatorActions?: OperatorActionHistory[];
  note?: string;
}

export interface StatusView {
  journal: string;
  mode: 'dry-run' | 'act';
  at: string;
  openIncidents: Incident[];
  unfinishedActions: ActionHistory[];
  actionsLastHour: number;
  maxActionsPerHour: number;
  /** Each application's latest decision. */
  latest: Array<{ app: string; at: number; kind: string; reason: string; incidentKey?: string }>;
  /** The healer's leases: which replica leads (acts), under which fencing token, since when. */
  leases?: LeaseRecord[];
  /** Target locks held now (the healer mid-action, a rebalance, a runbook, an operator). */
  locks?: TargetLock[];
  /** Sharded daemons: the replicas' heartbeats (each shard's holder is in `leases`). */
  replicas?: MemberRecord[];
  note?: string;
}

/**
 * Opens the store read-side (the journal, leases and locks), or undefined when the daemon never
 * ran here: with SQLite no file is created; PostgreSQL (healer.store.url) is always opened.
 */
async function withJournal<T>(
  config: Config,
  fn: (j: HealerJournal, s: CoordinationStore) => Promise<T>,
): Promise<T | undefined> {
  const file = config.healer.journal;
  if (!config.healer.store.url && file !== ':memory:' && !existsSync(file)) return undefined;
  const s = await openStore(config.healer);
  try {
    return await fn(s.journal(), s);
  } finally {
    await s.close();
  }
}

export async function healerHistory(
  config: Config,
  opts: { app?: string; limit: number },
): Promise<HistoryView> {
  const file = config.healer.journal;
  const q = { ...(opts.app ? { app: opts.app } : {}), limit: opts.limit };
  const view = await withJournal(config, async (j, store) => ({
    decisions: await j.decisions(q),
    actions: await j.actions(q),
    incidents: await j.incidents(q),
    operatorActions: await store.operatorActions({
      ...(opts.app ? { target: targetKey('flink', opts.app) } : {}),
      limit: opts.limit,
    }),
  }));
  return {
    journal: file,
    ...(opts.app ? { app: opts.app } : {}),
    ...(view ?? {
      decisions: [],
      actions: [],
      incidents: [],
      note: `no journal at ${file}: the healer has not run here`,
    }),
  };
}

export async function healerStatus(config: Config, now: number): Promise<StatusView> {
  const file = config.healer.journal;
  const view = await withJournal(config, async (j, store) => {
    const decisions = await j.decisions({ limit: 500 });
    const latest = new Map<string, StatusView['latest'][number]>();
    for (const d of decisions)
      latest.set(d.app, {
        app: d.app,
        at: d.at,
        kind: d.decision.kind,
        reason: d.decision.reason,
        ...(d.incidentKey ? { incidentKey: d.incidentKey } : {}),
      });
    return {
      openIncidents: await j.openIncidents(),
      unfinishedActions: await j.unfinishedActions(),
      actionsLastHour: (await j.actionsSince(now - 3_600_000)).length,
      latest: [...latest.values()].sort((a, b) => a.app.localeCompare(b.app)),
      leases: await store.leases('healer/'),
      locks: await store.locks(),
      replicas: await store.shards().members(),
    };
  });
  return {
    journal: file,
    mode: config.healer.mode,
    at: new Date(now).toISOString(),
    maxActionsPerHour: config.healer.maxActionsPerHour,
    ...(view ?? {
      openIncidents: [],
      unfinishedActions: [],
      actionsLastHour: 0,
      latest: [],
      note: `no journal at ${file}: the healer has not run here`,
    }),
  };
}

const iso = (t: number | undefined) =>
  t === undefined ? '-' : new Date(t).toISOString().replace('.000Z', 'Z');

function outcomeText(a: ActionHistory): string {
  return a.outcomes.length ? a.outcomes.map((o) => o.status).join(' → ') : 'in flight (intent only)';
}

function actionText(a: ActionHistory): string {
  switch (a.action.type) {
    case 'rollback':
      return `rollback from v${a.action.currentVersionId}`;
    case 'force-stop':
      return 'force-stop (no snapshot)';
    case 'self-managed-redeploy':
      return `redeploy ${a.action.previousJarId ?? '?'}`;
  }
}

/**
 * The human rendering of `healer history`. `story` tells an incident's status as every view does
 * (services/healer-history.ts); without it, the journal's status.
 */
export function renderHistory(v: HistoryView, story?: (i: Incident) => string | undefined): string {
  if (v.note) return v.note;
  const out: string[] = [];
  out.push(`Decisions${v.app ? ` for ${v.app}` : ''} (${v.decisions.length}, oldest first):`);
  out.push(
    renderTable(v.decisions, [
      { header: 'AT', get: (d) => iso(d.at) },
      { header: 'APP', get: (d) => d.app },
      { header: 'DECISION', get: (d) => d.decision.kind },
      { header: 'REASON', get: (d) => d.decision.reason },
      { header: 'ANOMALIES', get: (d) => d.anomalies.map((a) => a.kind).join(',') || '-' },
      {
        header: 'VERDICT',
        get: (d) =>
          d.classification
            ? `${d.classification.verdict} ${d.classification.confidence.toFixed(2)} ${d.classification.subtype}`
            : '-',
      },
    ]),
  );
  for (const d of v.decisions.filter((x) => x.decision.kind === 'act' || x.decision.kind === 'page')) {
    const dg = 'diagnosis' in d.decision ? d.decision.diagnosis : undefined;
    if (!dg) continue;
    out.push('', `${iso(d.at)} ${d.app} ${d.decision.kind}:${d.decision.reason}`, `  ${dg.summary}`);
    for (const e of dg.evidence) out.push(`  - ${e}`);
  }
  out.push('', `Actions (${v.actions.length}):`);
  out.push(
    renderTable(v.actions, [
      { header: 'INTENT AT', get: (a) => iso(a.at) },
      { header: 'APP', get: (a) => a.app },
      { header: 'ACTION', get: actionText },
      { header: 'REASON', get: (a) => a.reason },
      { header: 'OUTCOME', get: outcomeText },
      { header: 'OPERATION', get: (a) => a.outcomes.find((o) => o.operationId)?.operationId ?? '-' },
    ]),
  );
  out.push('', `Incidents (${v.incidents.length}):`);
  out.push(
    renderTable(v.incidents, [
      { header: 'OPENED', get: (i) => iso(i.openedAt) },
      { header: 'APP', get: (i) => i.app },
      { header: 'KIND', get: (i) => i.kind },
      { header: 'STATUS', get: (i) => story?.(i) ?? i.status },
      {
        header: 'ACTIONS',
        get: (i) => i.actions.map((a) => `${a.type}:${a.outcome ?? 'pending'}`).join(' ') || '-',
      },
      { header: 'KEY', get: (i) => i.key },
    ]),
  );
  const ops = v.operatorActions ?? [];
  if (ops.length) {
    out.push('', `Operator actions, CLI and runbooks (${ops.length}):`);
    out.push(
      renderTable(ops, [
        { header: 'AT', get: (o) => iso(o.at) },
        { header: 'BY', get: (o) => o.actor },
        { header: 'TARGET', get: (o) => o.target },
        { header: 'ACTION', get: (o) => o.action },
        {
          header: 'OUTCOME',
          get: (o) =>
            o.outcome
              ? `${o.outcome.status}${o.outcome.detail ? `: ${o.outcome.detail}` : ''}`
              : 'unfinished',
        },
      ]),
    );
  }
  return out.join('\n');
}

/** Who leads (acts) and who holds target locks. */
function renderLeadership(v: StatusView, now: number): string[] {
  const out: string[] = [];
  for (const l of v.leases ?? [])
    out.push(
      l.expiresAt > now
        ? `Leader (${l.name}): ${l.holder}, fencing token ${l.token}, lease age ${formatDuration(now - l.acquiredAt)}, renewed ${formatDuration(now - l.renewedAt)} ago`
        : `Leader (${l.name}): none — the lease of ${l.holder} (token ${l.token}) expired ${formatDuration(now - l.expiresAt)} ago`,
    );
  if (v.leases && v.leases.length === 0) out.push('Leader: none yet (no daemon has taken the lease)');
  for (const r of v.replicas ?? []) {
    const shards = (v.leases ?? [])
      .filter((l) => l.holder === r.replica && l.expiresAt > now)
      .map((l) => l.name);
    out.push(
      `Replica ${r.replica}: ${r.expiresAt > now ? 'live' : 'gone'}, heartbeat ${formatDuration(now - r.heartbeatAt)} ago, holds ${shards.length ? shards.join(', ') : 'no shard'}`,
    );
  }
  for (const l of v.locks ?? [])
    out.push(`Lock ${l.target}: ${l.owner} (pid ${l.pid} on ${l.host}) since ${iso(l.acquiredAt)}`);
  return out;
}

/** The human rendering of `healer status`. */
export function renderStatus(v: StatusView): string {
  const now = Date.parse(v.at);
  const out = [
    `Healer journal ${v.journal} — mode ${v.mode}; actions in the last hour ${v.actionsLastHour}/${v.maxActionsPerHour}`,
  ];
  if (v.note) return [...out, v.note].join('\n');
  out.push(...renderLeadership(v, now));
  out.push('', `Open incidents (${v.openIncidents.length}):`);
  if (v.openIncidents.length)
    out.push(
      renderTable(v.openIncidents, [
        { header: 'APP', get: (i) => i.app },
        { header: 'KIND', get: (i) => i.kind },
        { header: 'OPEN FOR', get: (i) => formatDuration(now - i.openedAt) },
        {
          header: 'VERDICT',
          get: (i) => (i.classification ? `${i.classification.verdict} (${i.classification.subtype})` : '-'),
        },
        {
          header: 'ACTIONS',
          get: (i) => i.actions.map((a) => `${a.type}:${a.outcome ?? 'pending'}`).join(' ') || '-',
        },
      ]),
    );
  out.push('', `Unfinished actions (${v.unfinishedActions.length}):`);
  if (v.unfinishedActions.length)
    out.push(
      renderTable(v.unfinishedActions, [
        { header: 'APP', get: (a) => a.app },
        { header: 'ACTION', get: actionText },
        { header: 'SINCE', get: (a) => iso(a.at) },
        { header: 'OUTCOME', get: outcomeText },
      ]),
    );
  out.push('', 'Latest decision per application:');
  out.push(
    renderTable(v.latest, [
      { header: 'APP', get: (l) => l.app },
      { header: 'AT', get: (l) => iso(l.at) },
      { header: 'DECISION', get: (l) => l.kind },
      { header: 'REASON', get: (l) => l.reason },
    ]),
  );
  return out.join('\n');
}
