/**
 * The child of kill.test.ts: writes a fixed sequence of journal records to the file named by its
 * argument and prints `committed N` after each write returns. With STREAMCTL_FAILPOINT_JOURNAL=KILL@N
 * the N-th write kills this process with SIGKILL inside its transaction.
 */
import { openIncident } from '../../../src/healer/incident.js';
import { SqliteJournal } from '../../../src/services/healer/journal/sqlite.js';
import { SEQUENCE } from './kill-sequence.js';

const j = new SqliteJournal(process.argv[2]!);
let n = 0;
for (const step of SEQUENCE) {
  const at = 1_795_000_000_000 + n * 1_000;
  if (step.kind === 'decision')
    await j.recordDecision({
      at,
      app: step.app,
      decision: { kind: 'check', afterMs: 15_000, reason: 'restarts-below-threshold' },
      anomalies: [],
      evidence: { n },
    });
  else if (step.kind === 'incident') await j.upsertIncident(openIncident(step.app, 'restart-loop', at));
  else if (step.kind === 'intent')
    await j.recordIntent({
      at,
      app: step.app,
      incidentKey: `${step.app}/restart-loop`,
      action: { type: 'rollback', currentVersionId: 4 },
      reason: 'bad-deploy-rollback',
      operation: 'RollbackApplication',
    });
  else if (step.kind === 'outcome')
    await j.recordOutcome({ intentId: String(step.intent), at, status: step.status });
  n++;
  process.stdout.write(`committed ${n}\n`);
}
await j.close();
