import type { HealerNotification } from '../../healer/act/port.js';

/**
 * The human text of a healer notification, shared by every channel: what is wrong, why we think
 * so, what was (not) done, what to do — what an on-call engineer needs at 3 a.m.
 */
export function notificationTitle(n: HealerNotification): string {
  const verb = n.event === 'resolve' ? 'RESOLVED' : n.severity.toUpperCase();
  return `[streamctl ${verb}] ${n.app}: ${n.summary}`;
}

export function notificationBody(n: HealerNotification): string {
  const lines = [notificationTitle(n), `reason: ${n.reason}`, `incident: ${n.incidentKey}`];
  const d = n.diagnosis;
  if (d) {
    lines.push('', d.summary);
    if (d.classification) {
      const c = d.classification;
      lines.push(
        `verdict: ${c.verdict} (${Math.round(c.confidence * 100)}%, ${c.subtype}) — ${c.rootCause.exception}${c.rootCause.message ? `: ${c.rootCause.message}` : ''}${c.rootCause.frame ? ` at ${c.rootCause.frame}` : ''}`,
      );
    }
    for (const e of d.evidence) lines.push(`- ${e}`);
    if (d.restartOptions?.length) {
      lines.push('', 'Restart options (StartApplication):');
      for (const o of d.restartOptions)
        lines.push(`- ${o.label}: ${o.restoreType}${o.snapshotName ? ` ${o.snapshotName}` : ''} — ${o.note}`);
    }
  }
  lines.push('', `Runbook: streamctl runbook restart-loop ${n.app}`);
  return lines.join('\n');
}
