/** The journal: port, adapters, crash reconciliation and resume. */
import type { HealerSection } from '../../config/sections/healer.js';
import type { HealerJournal } from './port.js';
import { SqliteJournal } from './sqlite.js';

export { MemoryJournal } from './memory.js';
export type {
  ActionHistory,
  DecisionRecord,
  HealerJournal,
  IntentRecord,
  OutcomeRecord,
  OutcomeStatus,
} from './port.js';
export { type Reconciliation, reconcileIntent } from './reconcile.js';
export { resumeFleetState } from './resume.js';
export { SqliteJournal } from './sqlite.js';

/** Opens the journal the config names (`healer.journal`, default `.streamctl/journal.db`). */
export function openJournal(healer: Pick<HealerSection, 'journal'>): HealerJournal {
  return new SqliteJournal(healer.journal);
}
