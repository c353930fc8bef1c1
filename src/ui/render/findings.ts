import { paint, severityLabel } from '../../core/output.js';
import type { Finding, Severity } from '../../core/severity.js';

/** Renders findings worst first, one per line, with the advice indented below. */
export function renderFindings(findings: Finding[], stream: NodeJS.WriteStream = process.stdout): string {
  const order: Record<Severity, number> = { CRITICAL: 0, UNKNOWN: 1, WARNING: 2, OK: 3 };
  const sorted = [...findings].sort((a, b) => order[a.severity] - order[b.severity]);
  if (sorted.length === 0) return `${paint('green', 'No findings.', stream)}\n`;
  // Advice shared by several findings (e.g. many brokers over a limit) is printed once, at its first finding.
  const advised = new Set<string>();
  return `${sorted
    .map((f) => {
      const label = severityLabel(f.severity, stream);
      const head = `${label.padEnd(8 + (label.length - f.severity.length))} ${f.subject}: ${f.message}`;
      if (!f.advice || advised.has(f.advice)) return head;
      advised.add(f.advice);
      return `${head}\n         ${paint('dim', `→ ${f.advice}`, stream)}`;
    })
    .join('\n')}\n`;
}

/** The one-line verdict that ends every health command's human output. */
export function renderVerdict(
  target: string,
  severity: Severity,
  stream: NodeJS.WriteStream = process.stdout,
): string {
  return `${target}: ${severityLabel(severity, stream)}\n`;
}
