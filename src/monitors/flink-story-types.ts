/** The values a Flink application's restart story is told with (flink-story.ts builds them, flink-story-text.ts words them). */
import type { Severity } from '../core/severity.js';
import type { RestartAssessment } from '../healer/detect/restart-loop.js';
import type { Incident, IncidentKind } from '../healer/incident.js';
import type { OutcomeStatus } from '../healer/journal/port.js';

/**
 * Where the healer's episode stands:
 * `open` (detected, paged or recorded, no action), `acting` (an action without a final outcome),
 * `healed` (verified heal; the incident may still be open in the journal), `stopped` (force-stopped:
 * the loop is over but the application needs a human restart), `not-healed` (the action failed,
 * was rejected, did not hold, or its outcome is unknown), `resolved` (closed without a heal, e.g.
 * quiet again on its own).
 */
export type EpisodeStatus = 'open' | 'acting' | 'healed' | 'stopped' | 'not-healed' | 'resolved';

/** The healer's last action of the episode, with how it ended. */
export interface StoryAction {
  type: Incident['actions'][number]['type'];
  intentAt: number;
  reason?: string;
  operationId?: string;
  /** The last recorded outcome; `in-flight` when there is none yet. */
  outcome: OutcomeStatus | 'did-not-heal' | 'in-flight';
  /** When the heal (or the stop) was verified. */
  verifiedAt?: number;
  /** The verification's evidence, e.g. "subtasks: all 2 subtasks RUNNING". */
  detail?: string;
  /** e.g. "from v2" for a rollback. */
  target?: string;
}

export interface StoryEpisode {
  incidentKey: string;
  kind: IncidentKind;
  openedAt: number;
  loopSince?: number;
  status: EpisodeStatus;
  /** `journal`: the incident record says so; `action-outcome`: derived from the action's verified outcome. */
  statusFrom: 'journal' | 'action-outcome';
  /** When the episode ended: resolvedAt, or the verified heal/stop. */
  endedAt?: number;
  journalStatus: Incident['status'];
  /** How the journal says the incident ended (a verified heal, quiet again, MSF's system rollback). */
  resolution?: { by: 'action' | 'quiet' | 'system-rollback'; at: number; evidence: string };
  classification?: {
    verdict: string;
    subtype: string;
    confidence: number;
    rootCause?: { exception: string; message?: string; frame?: string };
  };
  action?: StoryAction;
}

/** One restart period as the views draw it: before the heal is history, after it is now. */
export interface StoryPeriod {
  t: number;
  restarts: number | undefined;
  phase: 'before' | 'after';
}

/** The compact state a table column shows (watch LOOP, report badge). */
export type StoryState = RestartAssessment['state'] | 'healed' | 'stopped' | 'healing' | 'not-healed';

export interface AppStory {
  app: string;
  state: StoryState;
  severity: Severity;
  /** One line every view prints. */
  headline: string;
  episode?: StoryEpisode;
  /** Periods starting at or after this are the current job's; earlier ones are the episode's history. */
  countFrom?: number;
  /** The loop rule over the current periods only. */
  current: RestartAssessment;
  /** Known restarts in the window before `countFrom`, with the first and last period that had some. */
  before?: { restarts: number; firstAt?: number; lastAt?: number };
}
