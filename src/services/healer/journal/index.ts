/** The journal: port, adapters, crash reconciliation and resume. */
import type { HealerSection } from '../../../config/sections/healer.js';
import type { HealerJournal } from '../../../healer/journal/port.js';
import { SqliteJournal } from './sqlite.js';

export type {
  ActionHistory,
  DecisionRecord,
  HealerJournal,
  IntentRecord,
  OutcomeRecord,
  OutcomeStatus,
} from '../../../healer/journal/port.js';
export { type Reconciliation, reconcileIntent } from '../../../healer/journal/reconcile.js';
export { resumeFleetState } from '../../../healer/journal/resume.js';
export { MemoryJournal } from './memory.js';
export { SqliteJournal } from './sqlite.js';

/** Opens the journal the config names (`healer.journal`, default `.streamctl/journal.db`). */
export function openJournal(healer: Pick<HealerSection, 'journal'>): HealerJournal {
  return new SqliteJournal(healer.journal);
}
