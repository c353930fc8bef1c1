/**
 * The healing actions the ladder can choose (values; the runner performs them through the
 * HealerActions port).
 */
export type HealerAction =
  | { type: 'rollback'; currentVersionId: number }
  | { type: 'force-stop' }
  | { type: 'self-managed-redeploy'; jobId?: string; previousJarId?: string; savepointPath?: string };

export type HealerActionType = HealerAction['type'];

/** The MSF operation an action starts (what reconcile looks for in ListApplicationOperations). */
export function operationOf(type: HealerActionType): string {
  switch (type) {
    case 'rollback':
      return 'RollbackApplication';
    case 'force-stop':
      return 'StopApplication';
    case 'self-managed-redeploy':
      return 'SubmitJob';
  }
}

/** Statuses from which MSF accepts RollbackApplication (docs/reference.md §MSF). */
export const ROLLBACK_STATUSES: readonly string[] = ['RUNNING', 'UPDATING', 'AUTOSCALING'];
/** Statuses from which MSF accepts StopApplication Force=true (docs/reference.md §MSF). */
export const FORCE_STOP_STATUSES: readonly string[] = [
  'STARTING',
  'UPDATING',
  'STOPPING',
  'AUTOSCALING',
  'RUNNING',
];
