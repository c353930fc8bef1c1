/**
 * How an application's story is told (pure): the headline every view prints, an episode's status
 * as one phrase, and the story as the application's one restart finding. The story itself is
 * evaluated in flink-story.ts.
 */
import type { Finding } from '../core/severity.js';
import type { RestartAssessment } from '../healer/detect/restart-loop.js';
import type { AppStory, StoryAction, StoryEpisode, StoryState } from './flink-story-types.js';

/** "was resolved at T: quiet again …", "was rolled back by MSF's system rollback …". */
function resolvedText(ep: StoryEpisode): string {
  const at = iso(ep.endedAt ?? ep.openedAt);
  const r = ep.resolution;
  if (r?.by === 'system-rollback') return `was rolled back by MSF's system rollback at ${at} (${r.evidence})`;
  return `was resolved at ${at}${r ? ` (${r.evidence})` : ''}`;
}

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

function actionLabel(a: StoryAction): string {
  return a.target ? `${a.type} ${a.target}` : a.type;
}

function causeOf(ep: StoryEpisode): string {
  const c = ep.classification;
  if (!c) return '';
  const ex = c.rootCause?.exception.split('.').at(-1);
  return ` — ${ex ? `${ex}, ` : ''}${c.verdict} (${c.subtype})`;
}

function counterText(c: RestartAssessment): string {
  switch (c.state) {
    case 'loop':
      return `fail-and-restart loop: ${c.restarts} restarts in ${c.periods} periods`;
    case 'restarting':
      return `${c.restarts} restart(s) recently (not a loop yet)`;
    case 'unknown':
      return c.missingPeriods > 0 || c.reason === 'no-series'
        ? `restart counter unknown (${c.reason}, ${c.missingPeriods} period(s) missing)`
        : 'no restart-counter period published yet';
    case 'quiet':
      return `no restarts for ${c.trailingQuiet} period(s)`;
  }
}

/** The one line every view prints. */
export function headlineOf(s: AppStory): string {
  const ep = s.episode;
  const counter = counterText(s.current);
  if (!ep) return s.current.state === 'quiet' ? 'no restarts in the window' : counter;
  const before = s.before?.restarts ? `; ${s.before.restarts} restart(s) before it` : '';
  const what = ep.action ? actionLabel(ep.action) : 'the healer';
  switch (ep.status) {
    case 'healed':
    case 'stopped': {
      const how = `${ep.status === 'stopped' ? 'stopped (no snapshot taken: restart it by hand)' : 'healed'} by ${what} at ${iso(ep.endedAt ?? ep.openedAt)}`;
      if (s.current.state === 'loop') return `loop again: ${counter} since it was ${how}${causeOf(ep)}`;
      return `loop over: ${how}; since then ${counter}${before}${causeOf(ep)}`;
    }
    case 'acting':
      return `${counter}; the healer's ${what} is in flight since ${iso(ep.action?.intentAt ?? ep.openedAt)}${causeOf(ep)}`;
    case 'not-healed':
      return `${counter}; the healer's ${what} did not heal (${ep.action?.outcome ?? 'unknown'}); incident open since ${iso(ep.openedAt)}${causeOf(ep)}`;
    case 'open':
      return `${counter}; incident open since ${iso(ep.openedAt)}, no action taken${causeOf(ep)}`;
    case 'resolved':
      return `${counter}; the last incident (${ep.kind}) ${resolvedText(ep)}${before}${causeOf(ep)}`;
  }
}

const FINDING_CODE: Record<StoryState, string> = {
  loop: 'flink.restart-loop',
  restarting: 'flink.restarting',
  unknown: 'flink.restarts-unknown',
  quiet: 'flink.restarts-quiet',
  healed: 'flink.healed',
  stopped: 'flink.stopped-by-healer',
  healing: 'flink.healing',
  'not-healed': 'flink.not-healed',
};

/** The codes of story findings: a view that re-tells the story over another window replaces them. */
export const STORY_CODES: ReadonlySet<string> = new Set(Object.values(FINDING_CODE));

/**
 * The story as the one restart finding of an application; none for a quiet counter with no
 * episode. An OK finding after a heal is kept: it says what happened and when.
 */
export function storyFinding(s: AppStory, subject = s.app): Finding | undefined {
  if (s.severity === 'OK' && !s.episode) return undefined;
  const advice =
    s.state === 'loop' || s.state === 'not-healed' || s.state === 'restarting'
      ? `streamctl runbook restart-loop ${s.app}`
      : s.episode
        ? `streamctl healer history ${s.app}`
        : undefined;
  return {
    severity: s.severity,
    code: FINDING_CODE[s.state],
    subject,
    message: s.headline,
    ...(advice ? { advice } : {}),
  };
}

/** "healed by rollback from v2 at …" and the like: the episode's status as one phrase. */
export function episodeStatusText(ep: StoryEpisode): string {
  const a = ep.action;
  const what = a ? `${a.type}${a.target ? ` ${a.target}` : ''}` : '';
  const at = ep.endedAt === undefined ? '' : ` at ${iso(ep.endedAt)}`;
  switch (ep.status) {
    case 'healed':
      return `healed by ${what || 'the healer'}${at}${ep.statusFrom === 'action-outcome' ? ' (verified; the journal still has the incident open)' : ''}`;
    case 'stopped':
      return `stopped by ${what || 'the healer'}${at} (no snapshot taken: needs a restart)`;
    case 'acting':
      return `${what} in flight since ${iso(a?.intentAt ?? ep.openedAt)}`;
    case 'not-healed':
      return `${what || 'action'} did not heal (${a?.outcome ?? 'unknown'})`;
    case 'open':
      return 'open, no action taken';
    case 'resolved':
      return resolvedText(ep);
  }
}
