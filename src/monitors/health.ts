import { type Finding, type Severity, worst } from '../core/severity.js';

/** One monitor's contribution to a cluster's health verdict. */
export interface MonitorResult {
  monitor: string;
  severity: Severity;
  findings: Finding[];
}

export interface HealthVerdict {
  target: string;
  severity: Severity;
  monitors: Array<{ monitor: string; severity: Severity }>;
  findings: Finding[];
}

/**
 * One verdict across monitors, for cron: the worst severity wins; findings are sorted worst first
 * so the first line of a report is the one to act on.
 */
export function combineHealth(target: string, results: MonitorResult[]): HealthVerdict {
  const order: Record<Severity, number> = { CRITICAL: 0, UNKNOWN: 1, WARNING: 2, OK: 3 };
  const findings = results.flatMap((r) => r.findings).sort((a, b) => order[a.severity] - order[b.severity]);
  return {
    target,
    severity: worst(...results.map((r) => r.severity)),
    monitors: results.map((r) => ({ monitor: r.monitor, severity: r.severity })),
    findings,
  };
}
