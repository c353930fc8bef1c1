/**
 * `healer history` and `healer status` with each incident's story: where the episode stands as `flink status`,
 * `watch` and the report tell it — a verified heal is "healed by this action at this time" even
 * when the journal still has the incident open (an older daemon, or one stopped right after the
 * heal). The journal itself is read by services/healer/journal-view.ts.
 */
import type { Config } from '../config/schema.js';
import type { Incident } from '../healer/incident.js';
import { type EpisodeStatus, episodeStatusText, incidentEpisode } from '../monitors/flink-story.js';
import { type HistoryView, healerHistory, healerStatus, type StatusView } from './healer/journal-view.js';
import { readHealerRecords } from './healer-records.js';

/** One incident's story, by incident key. */
export interface IncidentStory {
  status: EpisodeStatus;
  /** `journal`: the incident record says so; `action-outcome`: derived from the verified outcome. */
  statusFrom: 'journal' | 'action-outcome';
  text: string;
  endedAt?: number;
}

export interface StoriedHistoryView extends HistoryView {
  stories: Record<string, IncidentStory>;
}

/** The stories of a history's incidents (pure). */
export function storiesOf(v: Pick<HistoryView, 'incidents' | 'actions'>): Record<string, IncidentStory> {
  const out: Record<string, IncidentStory> = {};
  for (const i of v.incidents) {
    const ep = incidentEpisode(i, v.actions);
    out[i.key] = {
      status: ep.status,
      statusFrom: ep.statusFrom,
      text: episodeStatusText(ep),
      ...(ep.endedAt === undefined ? {} : { endedAt: ep.endedAt }),
    };
  }
  return out;
}

export async function healerHistoryStory(
  config: Config,
  opts: { app?: string; limit: number },
): Promise<StoriedHistoryView> {
  const view = await healerHistory(config, opts);
  return { ...view, stories: storiesOf(view) };
}

export interface StoriedStatusView extends StatusView {
  /** Incidents the journal holds open whose action's heal (or stop) was verified: told, not open. */
  endedButOpenInJournal: Array<{ incident: Incident; text: string }>;
}

/**
 * `healer status` with the same stories: an incident the journal still has open after a verified
 * heal (an older daemon, or one stopped right after the heal) is not "open" — it is listed apart,
 * as every other view tells it.
 */
export async function healerStatusStory(config: Config, now: number): Promise<StoriedStatusView> {
  const view = await healerStatus(config, now);
  if (view.openIncidents.length === 0) return { ...view, endedButOpenInJournal: [] };
  const { actions } = await readHealerRecords(config);
  const open: Incident[] = [];
  const ended: StoriedStatusView['endedButOpenInJournal'] = [];
  for (const i of view.openIncidents) {
    const ep = incidentEpisode(i, actions);
    if (ep.status === 'healed') ended.push({ incident: i, text: episodeStatusText(ep) });
    else open.push(i);
  }
  return { ...view, openIncidents: open, endedButOpenInJournal: ended };
}

/** The lines `healer status` adds for incidents ended but open in the journal (none: nothing). */
export function renderEndedButOpen(v: StoriedStatusView): string {
  if (v.endedButOpenInJournal.length === 0) return '';
  return [
    '',
    `Healed, but still open in the journal (${v.endedButOpenInJournal.length}):`,
    ...v.endedButOpenInJournal.map(({ incident: i, text }) => `  ${i.app} ${i.kind}: ${text}`),
  ].join('\n');
}
