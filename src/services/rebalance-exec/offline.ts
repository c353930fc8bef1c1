import { checkOutputPath, writeFilesAtomic } from '../../core/fs.js';
import { formatReassignment } from '../../domain/reassignment.js';
import { type ClusterSnapshot, readSnapshotFile } from '../../domain/snapshot.js';
import { type PlanReport, type PlanRequest, planAndReport } from '../../rebalancer/report.js';

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
 * and writes the plan (Kafka's JSON), the report and the rollback plan as one set: all three or
 * none. Nothing is written when the snapshot or the options are bad, and an output that is the
 * snapshot itself is refused.
 */
export function planFromSnapshotFile(
  snapshotFile: string,
  output: string,
  req: PlanRequest,
): OfflinePlanResult {
  return planFromSnapshot(readSnapshotFile(snapshotFile), snapshotFile, output, req, [snapshotFile]);
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
  inputs: string[] = [],
): OfflinePlanResult {
  const files = sidecarPaths(output);
  // Refuse a bad output path before minutes of planning, not after.
  checkOutputs(files, inputs);
  const { report, plan, rollback } = planAndReport(snapshot, req);
  const result: OfflinePlanResult = { snapshotFile, files, ...report };
  writeFilesAtomic(
    [
      { path: files.report, data: `${JSON.stringify(result, null, 1)}\n` },
      { path: files.rollback, data: formatReassignment(rollback) },
      // The plan last: if the set is ever interrupted, a plan never stands without its rollback.
      { path: files.plan, data: formatReassignment(plan) },
    ],
    { inputs },
  );
  return result;
}

function checkOutputs(files: PlanFiles, inputs: string[]): void {
  for (const path of [files.plan, files.report, files.rollback]) checkOutputPath(path, inputs);
}
