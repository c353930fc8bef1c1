/** Table rows of the store and their mapping to the port's records (both adapters). */
import type { LeaseRecord, OperatorActionHistory, OperatorOutcome, TargetLock } from './port.js';

// PostgreSQL returns BIGINT as a string (pg's default): every number goes through Number().
type Num = number | string;

/** A `leases` row. */
export interface LeaseRow {
  name: string;
  holder: string;
  token: Num;
  acquired_at: Num;
  renewed_at: Num;
  expires_at: Num;
}

/** A `target_locks` row. */
export interface LockRow {
  target: string;
  id: string;
  owner: string;
  pid: Num;
  host: string;
  acquired_at: Num;
  expires_at: Num | null;
  fence: Num | null;
}

/** An `operator_actions` row. */
export interface OpRow {
  id: Num;
  at: Num;
  actor: string;
  target: string;
  action: string;
  detail: string | null;
  outcome_at: Num | null;
  outcome: string | null;
  outcome_detail: string | null;
}

/** A leases row as a LeaseRecord. */
export function leaseFromRow(r: LeaseRow): LeaseRecord {
  return {
    name: r.name,
    holder: r.holder,
    token: Number(r.token),
    acquiredAt: Number(r.acquired_at),
    renewedAt: Number(r.renewed_at),
    expiresAt: Number(r.expires_at),
  };
}

/** A target_locks row as a TargetLock. */
export function lockFromRow(r: LockRow): TargetLock {
  return {
    target: r.target,
    id: r.id,
    owner: r.owner,
    pid: Number(r.pid),
    host: r.host,
    acquiredAt: Number(r.acquired_at),
    ...(r.expires_at !== null ? { expiresAt: Number(r.expires_at) } : {}),
    ...(r.fence !== null ? { fence: Number(r.fence) } : {}),
  };
}

/** An operator_actions row as its history. */
export function opFromRow(r: OpRow): OperatorActionHistory {
  return {
    id: String(r.id),
    at: Number(r.at),
    actor: r.actor,
    target: r.target,
    action: r.action,
    ...(r.detail !== null ? { detail: r.detail } : {}),
    ...(r.outcome !== null
      ? {
          outcome: {
            at: Number(r.outcome_at),
            status: r.outcome as OperatorOutcome,
            ...(r.outcome_detail !== null ? { detail: r.outcome_detail } : {}),
          },
        }
      : {}),
  };
}
