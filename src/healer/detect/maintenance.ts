import type { ApplicationOperation } from '../../domain/flink.js';
import { type AppObservation, isoMs } from '../observation.js';

/** A maintenance window that overlaps [from, now]. */
export interface MaintenanceOverlap {
  since: number;
  operationId?: string;
}

function isMaintenance(op: ApplicationOperation): boolean {
  return /maintenance/i.test(op.operation);
}

/**
 * Whether MSF maintenance touches the window [from, now]: status MAINTENANCE, or a Maintenance
 * operation whose [start, end] (end = now while in progress) overlaps it. Maintenance restarts the
 * job (10–30 s of downtime, docs/reference.md §MSF), so restarts inside such a window are expected and must
 * never start a loop. The suppression ends by itself once the window slides past the maintenance.
 */
export function maintenanceOverlap(
  obs: AppObservation,
  from: number,
  now: number,
): MaintenanceOverlap | undefined {
  if (obs.app.status === 'MAINTENANCE') {
    const op = (obs.operations ?? [])
      .filter(isMaintenance)
      .sort((a, b) => (isoMs(b.startTime) ?? 0) - (isoMs(a.startTime) ?? 0))[0];
    return { since: isoMs(op?.startTime) ?? now, ...(op ? { operationId: op.operationId } : {}) };
  }
  for (const op of obs.operations ?? []) {
    if (!isMaintenance(op)) continue;
    const start = isoMs(op.startTime);
    if (start === undefined) continue;
    const end = isoMs(op.endTime) ?? now;
    if (start <= now && end >= from) return { since: start, operationId: op.operationId };
  }
  return undefined;
}
