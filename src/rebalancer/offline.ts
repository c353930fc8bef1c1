import { writeFileAtomic } from '../core/fs.js';
import { type ClusterSnapshot, readSnapshotFile } from '../domain/snapshot.js';
import { writeReassignmentFile } from './plan.js';
import { type PlanReport, type PlanRequest, planAndReport } from './report.js';

/** The files a plan writes: the plan, its sidecar report and the rollback plan. */
export interface PlanFiles {
  plan: string;
  report: string;
  rollback: string;
}

/** `plan.json` → `plan.report.json` and `plan.rollback.json`. */
export function sidecarPaths(output: string): PlanFiles {
  const base = output.endsWith('.json') ? output.slice(0, -'.json'.length) : output;
  return { plan: output, report: `${base}.report.json`, rollback: `${base}.rollback.json` };
}

/** The outcome of planning from a snapshot file. */
export interface OfflinePlanResult extends PlanReport {
  snapshotFile: string;
  files: PlanFiles;
}

/**
 * `kafka rebalance plan --snapshot FILE -o plan.json`: reads and validates the snapshot, plans,
 * and writes the plan (Kafka's JSON), the report and the rollback plan, each atomically. Nothing
 * is written when the snapshot or the options are bad.
 */
export function planFromSnapshotFile(
  snapshotFile: string,
  output: string,
  req: PlanRequest,
): OfflinePlanResult {
  return planFromSnapshot(readSnapshotFile(snapshotFile), snapshotFile, output, req);
}

/**
 * Plans from a snapshot already in memory (live mode captures one with `kafka snapshot`'s code)
 * and writes the same three files. `snapshotFile` names the source in the report.
 */
export function planFromSnapshot(
  snapshot: ClusterSnapshot,
  snapshotFile: string,
  output: string,
  req: PlanRequest,
): OfflinePlanResult {
  const { report, plan, rollback } = planAndReport(snapshot, req);
  const files = sidecarPaths(output);
  const result: OfflinePlanResult = { snapshotFile, files, ...report };
  writeFileAtomic(files.report, `${JSON.stringify(result, null, 1)}\n`);
  writeReassignmentFile(files.rollback, rollback);
  // The plan last: its presence means the report and rollback beside it are complete.
  writeReassignmentFile(files.plan, plan);
  return result;
}
