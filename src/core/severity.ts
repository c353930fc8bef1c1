import { Health } from './exit-codes.js';

/**
 * Severity of a finding. Ordered so that the worst finding decides a report's exit code.
 * UNKNOWN ranks between WARNING and CRITICAL for "worst of" purposes is a common convention,
 * but the monitoring-plugin convention (and alerting built on it) treats CRITICAL as worst and
 * UNKNOWN as "could not tell": we rank OK < WARNING < UNKNOWN < CRITICAL, and map to 0/1/3/2.
 */
export type Severity = 'OK' | 'WARNING' | 'UNKNOWN' | 'CRITICAL';

const RANK: Record<Severity, number> = { OK: 0, WARNING: 1, UNKNOWN: 2, CRITICAL: 3 };

/** The worst of the given severities (OK for none). */
export function worst(...severities: Severity[]): Severity {
  let result: Severity = 'OK';
  for (const s of severities) if (RANK[s] > RANK[result]) result = s;
  return result;
}

/** Monitoring-plugin exit code for a severity. */
export function exitCodeFor(severity: Severity): number {
  return Health[severity];
}

/** A finding from any monitor or audit: what is wrong, how bad, and what to do. */
export interface Finding {
  severity: Severity;
  /** Stable machine-readable identifier, e.g. `disk.broker-usage`. */
  code: string;
  /** What the finding is about, e.g. `broker 3` or `orders-7`. */
  subject: string;
  message: string;
  /** What an operator should do about it. */
  advice?: string;
}
