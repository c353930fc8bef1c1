/**
 * Text renderings of an application's story (monitors/flink-story.ts), shared by `flink status`,
 * `flink exceptions` and `healer history` so they word the same facts the same way (pure).
 */
import { type AppStory, episodeStatusText, type StoryPeriod } from '../../monitors/flink-story.js';

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

/** One row of the restart table: a run of equal periods collapsed into a time range. */
export interface RestartRun {
  from: number;
  to: number;
  periods: number;
  restarts: number | undefined;
  phase: StoryPeriod['phase'];
}

/**
 * Consecutive periods with the same value and phase, collapsed: fourteen `?` rows before the job
 * had published anything become one "18:20–18:33 ?" row, and the heal splits the runs.
 */
export function restartRuns(periods: readonly StoryPeriod[]): RestartRun[] {
  const runs: RestartRun[] = [];
  for (const p of periods) {
    const last = runs.at(-1);
    if (last && last.restarts === p.restarts && last.phase === p.phase && (p.restarts ?? 0) === 0) {
      last.to = p.t;
      last.periods++;
    } else runs.push({ from: p.t, to: p.t, periods: 1, restarts: p.restarts, phase: p.phase });
  }
  return runs;
}

/** Cell texts of a restart run (MINUTE, RESTARTS, NOTE). */
export function runCells(r: RestartRun, healedLabel: string | undefined) {
  return {
    minute: r.periods > 1 ? `${hhmm(r.from)}–${hhmm(r.to)}` : hhmm(r.from),
    restarts: r.restarts === undefined ? '?' : String(r.restarts),
    note: [
      r.restarts === undefined
        ? `no datapoint${r.periods > 1 ? `s (${r.periods} periods)` : ''}: unknown`
        : '',
      healedLabel ? (r.phase === 'before' ? `before the heal` : `after the heal`) : '',
    ]
      .filter(Boolean)
      .join('; '),
  };
}

/** The lines `flink status` prints about the healer's episode (none without one). */
export function storyLines(s: AppStory): string[] {
  const ep = s.episode;
  if (!ep) return [];
  const c = ep.classification;
  return [
    `  incident     ${ep.kind} opened ${iso(ep.openedAt)}: ${episodeStatusText(ep)}`,
    ...(ep.action?.detail ? [`  verified     ${ep.action.detail}`] : []),
    ...(c
      ? [
          `  cause        ${c.rootCause?.exception ?? '?'}${c.rootCause?.frame ? ` at ${c.rootCause.frame}` : ''} (${c.verdict}, ${c.subtype})`,
        ]
      : []),
  ];
}
