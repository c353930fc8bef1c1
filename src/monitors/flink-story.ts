/**
 * The one story of a Flink application (pure): what its restart counter says NOW, read together
 * with what the healer did about it. `flink status`, `watch`, `flink exceptions`, `healer history`
 * and the report all render this value, so after a heal they tell the same thing: the loop is
 * over, it was healed by this action at this time, and the restarts before it are history.
 *
 * Why a story and not only the loop rule: after a rollback the CloudWatch period that contains
 * the heal still carries the old job's restarts (Maximum per minute), and the window still holds
 * the whole loop. Judged alone, the counter keeps saying "loop" for minutes after a verified heal.
 * The heal is evidence too — the healer saw every subtask RUNNING — so periods from the first one
 * that starts after the heal are the current job's; the periods before it are the episode's
 * history. If the loop comes back after the heal, the current periods show it and the story says
 * the heal did not hold (CRITICAL), whatever the journal says: a story never hides a live loop.
 *
 * The healer may have verified a heal without resolving the incident (the daemon stopped, or an
 * older journal): then the status is derived from the action's recorded outcome and marked so.
 * Pure: the caller reads the journal and the metrics; `now` is a parameter.
 */
import { type Severity, worst } from '../core/severity.js';
import { type RestartCounterSeries, restartsPerPeriod } from '../domain/restart-counter.js';
import { assessRestarts, type RestartAssessment } from '../healer/detect/restart-loop.js';
import type { Incident } from '../healer/incident.js';
import type { ActionHistory } from '../healer/journal/port.js';
import type { HealerPolicy } from '../healer/policy.js';
import { headlineOf } from './flink-story-text.js';
import type {
  AppStory,
  EpisodeStatus,
  StoryAction,
  StoryEpisode,
  StoryPeriod,
  StoryState,
} from './flink-story-types.js';

export { episodeStatusText, STORY_CODES, storyFinding } from './flink-story-text.js';

/** An episode that ended longer ago than this (and before the view's window) is not told. */
export const RECENT_EPISODE_MS = 3_600_000;

export type {
  AppStory,
  EpisodeStatus,
  StoryAction,
  StoryEpisode,
  StoryPeriod,
  StoryState,
} from './flink-story-types.js';

export interface StoryInput {
  app: string;
  now: number;
  /** The view's restart counter (1-minute periods); undefined when it could not be read. */
  series: RestartCounterSeries | undefined;
  loop: HealerPolicy['loop'];
  /** Start of the view's window. */
  windowStart: number;
  /** The healer's incidents and actions for this application (any status; order does not matter). */
  incidents: readonly Incident[];
  actions: readonly ActionHistory[];
}

const FINAL_BAD: ReadonlySet<string> = new Set([
  'failed',
  'rejected',
  'reconciled-not-happened',
  'reconciled-unknown',
]);

/** The application's story (pure). */
export function appStory(i: StoryInput): AppStory {
  const episode = latestEpisode(i);
  const countFrom = episode ? countFromOf(episode, i.series?.periodMs ?? 60_000) : undefined;
  const current = assessRestarts(i.series, i.loop, countFrom);
  const before = countFrom === undefined ? undefined : restartsBefore(i.series, countFrom);
  const { state, severity } = judge(episode, current);
  const story: AppStory = {
    app: i.app,
    state,
    severity,
    headline: '',
    ...(episode ? { episode } : {}),
    ...(countFrom === undefined ? {} : { countFrom }),
    current,
    ...(before ? { before } : {}),
  };
  return { ...story, headline: headlineOf(story) };
}

/** The story of a counter alone (no healer records): the loop rule's verdict, told the same way. */
export function counterStory(app: string, current: RestartAssessment): AppStory {
  const { state, severity } = judge(undefined, current);
  const story: AppStory = { app, state, severity, headline: '', current };
  return { ...story, headline: headlineOf(story) };
}

/** The newest episode worth telling: open, or ended within the window (or the last hour). */
export function latestEpisode(
  i: Pick<StoryInput, 'app' | 'now' | 'windowStart' | 'incidents' | 'actions'>,
): StoryEpisode | undefined {
  const mine = i.incidents.filter((x) => x.app === i.app).sort((a, b) => b.openedAt - a.openedAt);
  const inc = mine[0];
  if (!inc) return undefined;
  const ep = episodeOf(inc, actionOf(inc, i.actions));
  const horizon = Math.min(i.windowStart, i.now - RECENT_EPISODE_MS);
  if (ep.journalStatus === 'resolved' && (ep.endedAt ?? inc.updatedAt) < horizon) return undefined;
  return ep;
}

/** The episode's last action: by incident key, else the app's last action inside the episode. */
function actionOf(inc: Incident, actions: readonly ActionHistory[]): ActionHistory | undefined {
  const end = inc.resolvedAt ?? Number.POSITIVE_INFINITY;
  const mine = actions
    .filter((a) =>
      a.incidentKey ? a.incidentKey === inc.key : a.app === inc.app && a.at >= inc.openedAt && a.at <= end,
    )
    .sort((a, b) => a.at - b.at);
  return mine.at(-1);
}

/** Any incident told as an episode, with its last action from the journal (pure). */
export function incidentEpisode(inc: Incident, actions: readonly ActionHistory[]): StoryEpisode {
  return episodeOf(inc, actionOf(inc, actions));
}

function episodeOf(inc: Incident, history: ActionHistory | undefined): StoryEpisode {
  const action = storyAction(inc, history);
  let status: EpisodeStatus;
  let statusFrom: StoryEpisode['statusFrom'] = 'journal';
  if (action?.outcome === 'did-not-heal' || (action && FINAL_BAD.has(action.outcome)))
    status = inc.status === 'resolved' ? 'resolved' : 'not-healed';
  else if (action?.outcome === 'stopped') status = 'stopped';
  else if (action?.outcome === 'healed') {
    status = 'healed';
    if (inc.status === 'open') statusFrom = 'action-outcome';
  } else if (inc.status === 'resolved') status = 'resolved';
  else if (action) status = 'acting';
  else status = 'open';
  // A heal ends the episode when it was verified, whenever the journal closed the incident.
  const r = inc.resolution;
  const endedAt =
    (status === 'healed' || status === 'stopped'
      ? r?.by === 'action'
        ? r.at
        : action?.verifiedAt
      : undefined) ?? inc.resolvedAt;
  const c = inc.classification;
  return {
    incidentKey: inc.key,
    kind: inc.kind,
    openedAt: inc.openedAt,
    ...(inc.loopSince === undefined ? {} : { loopSince: inc.loopSince }),
    status,
    statusFrom,
    ...(endedAt === undefined ? {} : { endedAt }),
    journalStatus: inc.status,
    ...(r && inc.status === 'resolved' ? { resolution: { by: r.by, at: r.at, evidence: r.evidence } } : {}),
    ...(c
      ? {
          classification: {
            verdict: c.verdict,
            subtype: c.subtype,
            confidence: c.confidence,
            ...(c.rootCause ? { rootCause: c.rootCause } : {}),
          },
        }
      : {}),
    ...(action ? { action } : {}),
  };
}

/** The action as the story tells it: the journal's outcomes, and the incident's own verdict on them. */
function storyAction(inc: Incident, h: ActionHistory | undefined): StoryAction | undefined {
  const fromIncident = inc.actions.at(-1);
  if (!h && !fromIncident) return undefined;
  const type = h?.action.type ?? fromIncident!.type;
  const last = h?.outcomes.at(-1);
  const verified = h?.outcomes.find((o) => o.status === 'healed' || o.status === 'stopped');
  const op = h?.outcomes.find((o) => o.operationId)?.operationId;
  let outcome: StoryAction['outcome'] = last?.status ?? fromIncident?.outcome ?? 'in-flight';
  if (outcome === 'accepted' || outcome === 'reconciled-happened') outcome = 'in-flight';
  if (outcome === 'healed' && type === 'force-stop') outcome = 'stopped';
  // Only the incident knows that the loop came back after a verified heal: no outcome record says so.
  if (fromIncident?.outcome === 'did-not-heal') outcome = 'did-not-heal';
  return {
    type,
    intentAt: h?.at ?? fromIncident!.at,
    ...(h ? { reason: h.reason } : {}),
    ...(op ? { operationId: op } : {}),
    outcome,
    ...(verified ? { verifiedAt: verified.at } : {}),
    ...(last?.detail ? { detail: last.detail } : {}),
    ...(h?.action.type === 'rollback' ? { target: `from v${h.action.currentVersionId}` } : {}),
  };
}

/**
 * The first period that belongs to the current job: the first that starts at or after the verified
 * heal (the period holding it still carries the old job's restarts in its Maximum), or after the
 * resolution.
 * An episode still open or acting has no such time: every period in the window counts.
 */
function countFromOf(ep: StoryEpisode, periodMs: number): number | undefined {
  if (ep.status !== 'healed' && ep.status !== 'stopped' && ep.status !== 'resolved') return undefined;
  if (ep.endedAt === undefined) return undefined;
  return Math.ceil(ep.endedAt / periodMs) * periodMs;
}

function restartsBefore(
  series: RestartCounterSeries | undefined,
  countFrom: number,
): AppStory['before'] | undefined {
  if (!series) return undefined;
  const periods = storyPeriods(series, countFrom).filter((p) => p.phase === 'before');
  const hit = periods.filter((p) => (p.restarts ?? 0) > 0);
  return {
    restarts: hit.reduce((n, p) => n + (p.restarts ?? 0), 0),
    ...(hit[0] ? { firstAt: hit[0].t, lastAt: hit.at(-1)!.t } : {}),
  };
}

/** DIFF per period (resets and gaps as the loop rule reads them), each marked before or after `countFrom`. */
export function storyPeriods(series: RestartCounterSeries, countFrom: number | undefined): StoryPeriod[] {
  return restartsPerPeriod(series).map((p) => ({
    t: p.t,
    restarts: p.restarts,
    phase: countFrom !== undefined && p.t < countFrom ? 'before' : 'after',
  }));
}

const COUNTER_SEVERITY: Record<RestartAssessment['state'], Severity> = {
  loop: 'CRITICAL',
  restarting: 'WARNING',
  unknown: 'UNKNOWN',
  quiet: 'OK',
};

/** The state and severity: a live loop always wins; otherwise the episode says where things stand. */
function judge(
  ep: StoryEpisode | undefined,
  current: RestartAssessment,
): { state: StoryState; severity: Severity } {
  const counter = COUNTER_SEVERITY[current.state];
  if (current.state === 'loop' || !ep) return { state: current.state, severity: counter };
  switch (ep.status) {
    case 'healed':
    case 'stopped': {
      if (current.state === 'restarting') return { state: 'restarting', severity: 'WARNING' };
      // Missing datapoints since the heal are unknown; NO period since the heal yet is not: the
      // verification (every subtask RUNNING) is the evidence until the next period is published.
      if (current.state === 'unknown' && (current.missingPeriods > 0 || current.reason === 'no-series'))
        return { state: ep.status, severity: 'UNKNOWN' };
      return { state: ep.status, severity: ep.status === 'stopped' ? 'WARNING' : 'OK' };
    }
    case 'acting':
      return { state: 'healing', severity: worst('WARNING', counter) };
    case 'not-healed':
      return { state: 'not-healed', severity: 'CRITICAL' };
    case 'open':
      // The healer holds an open incident (paged or recorded): at least a WARNING until it closes.
      return { state: current.state, severity: worst('WARNING', counter) };
    case 'resolved':
      return { state: current.state, severity: counter };
  }
}
