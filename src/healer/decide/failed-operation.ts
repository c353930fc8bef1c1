/** The ladder's rung for a failed operation (pure; decide/ladder.ts calls it). */
import type { Anomaly } from '../anomaly.js';
import type { Decision } from './decision.js';
import { diagnose, page } from './diagnosis.js';
import type { DecideInput } from './input.js';

/**
 * A failed operation: MSF's system rollback may already have restored the previous version. Then
 * the platform healed it: record and report, no page, no action. While it runs, wait for it. A
 * failure it did not roll back (disabled, or the rollback failed) leaves the application on a
 * failed update: page.
 */
export function proposeForFailedOperation(
  input: DecideInput,
  failed: Extract<Anomaly, { kind: 'failed-operation' }>,
): Decision {
  const op = failed.operation;
  const error = op.errorString ? ` Error: ${op.errorString}` : '';
  switch (failed.systemRollback) {
    case 'done':
      return {
        kind: 'record',
        reason: 'system-rollback-done',
        proposed: { kind: 'ignore', reason: 'system-rollback-done' },
      };
    case 'in-progress':
      return {
        kind: 'wait',
        afterMs: input.policy.suspectCheckIntervalMs,
        reason: 'system-rollback-in-progress',
      };
    case 'failed':
    case 'none': {
      const why =
        failed.systemRollback === 'failed'
          ? ` MSF's system rollback (operation ${op.rollbackOperationId}) did not succeed.`
          : ' It was not rolled back (system rollback disabled or not applicable): the application is left on the failed update.';
      return page(
        'critical',
        'operation-failed',
        diagnose(input, `${op.operation} ${op.operationId} failed.${why}${error}`),
      );
    }
  }
}
