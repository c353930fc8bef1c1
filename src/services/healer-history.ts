/**
 * `healer history` with each incident's story: where the episode stands as `flink status`,
 * `watch` and the report tell it — a verified heal is "healed by this action at this time" even
 * when the journal still has the incident open (an older daemon, or one stopped right after the
 * heal). The journal itself is read by services/healer/journal-view.ts.
 */
import type { Config } from '../config/schema.js';
import { type EpisodeStatus, episodeStatusText, incidentEpisode } from '../monitors/flink-story.js';
import { type HistoryView, healerHistory } from './healer/journal-view.js';

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
