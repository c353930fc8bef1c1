/**
 * Every runbook streamctl ships, in the order `runbook list` shows them. docs/runbooks/<id>.md
 * must exist for each and mention every step title (test/runbooks/docs-sync.test.ts).
 */
import { addBrokers } from './add-brokers.js';
import { brokerDown } from './broker-down.js';
import { diskFilling } from './disk-filling.js';
import { restartLoop } from './restart-loop.js';
import { stuckUpdate } from './stuck-update.js';
import type { Runbook } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: the registry holds runbooks of different diagnosis types
export const RUNBOOKS: ReadonlyArray<Runbook<any>> = [
  restartLoop,
  stuckUpdate,
  diskFilling,
  brokerDown,
  addBrokers,
];

/** The runbook with this id (the command names them, so a miss is a bug). */
// biome-ignore lint/suspicious/noExplicitAny: see RUNBOOKS
export function runbookById(id: string): Runbook<any> {
  const rb = RUNBOOKS.find((r) => r.id === id);
  if (!rb) throw new Error(`no runbook ${id}`);
  return rb;
}
