/**
 * Building decisions and their diagnosis: what a human needs at 3 a.m. (what is wrong, the
 * evidence, the classifier's verdict and signals, what was or was not done).
 */
import { findAnomaly } from '../anomaly.js';
import { effectiveVerdict } from '../classifier.js';
import type { Decision, Diagnosis, Reason, Severity } from './decision.js';
import type { recentSuccessfulUpdate } from './evidence.js';
import type { DecideInput } from './input.js';

/** An act decision. */
export function act(
  action: Extract<Decision, { kind: 'act' }>['action'],
  reason: Reason,
  diagnosis: Diagnosis,
): Extract<Decision, { kind: 'act' }> {
  return { kind: 'act', action, reason, diagnosis };
}

/** A page decision. */
export function page(
  severity: Severity,
  reason: Reason,
  diagnosis: Diagnosis,
): Extract<Decision, { kind: 'page' }> {
  return { kind: 'page', severity, reason, diagnosis };
}

/** The action in words, for pages that withhold it. */
export function describeAction(d: Extract<Decision, { kind: 'act' }>): string {
  switch (d.action.type) {
    case 'rollback':
      return `RollbackApplication from version ${d.action.currentVersionId}`;
    case 'force-stop':
      return 'StopApplication Force=true';
    case 'self-managed-redeploy':
      return 'redeploy the previous jar from the last savepoint';
  }
}

/** The diagnosis of the input: summary, evidence, verdict. */
export function diagnose(
  input: DecideInput,
  summary: string,
  change?: ReturnType<typeof recentSuccessfulUpdate>,
): Diagnosis {
  const c = input.classification;
  const evidence: string[] = [];
  const loop = findAnomaly(input.anomalies, 'restart-loop');
  if (loop)
    evidence.push(
      `${loop.metric}: ${loop.restarts} restarts in ${loop.periods} periods since ${new Date(loop.windowStart).toISOString()}`,
    );
  if (change)
    evidence.push(
      `UpdateApplication ${change.operationId} ${change.status} at ${change.endTime ?? change.startTime ?? '?'}`,
    );
  const first = input.obs.failures?.[0];
  if (first)
    evidence.push(
      `first failure of the loop at ${new Date(first.at).toISOString()} (${first.source}): ${first.text.split('\n')[0]!.slice(0, 300)}`,
    );
  if (c) {
    evidence.push(
      `classifier: ${c.verdict} (${c.subtype}, confidence ${c.confidence.toFixed(2)}): ${c.rootCause.exception}${c.rootCause.frame ? ` at ${c.rootCause.frame}` : ''}`,
    );
    for (const s of c.signals.slice(0, 3))
      evidence.push(`signal ${s.rule} (${s.weight > 0 ? '+' : ''}${s.weight}): ${s.evidence}`);
  }
  evidence.push(
    `status ${input.obs.app.status}, version ${input.obs.app.versionId ?? '?'}, snapshots ${input.obs.snapshots?.count ?? '?'}`,
  );
  return {
    summary,
    verdict: effectiveVerdict(c, input.policy.minConfidence),
    ...(c
      ? {
          classification: {
            verdict: c.verdict,
            confidence: c.confidence,
            subtype: c.subtype,
            rootCause: c.rootCause,
          },
        }
      : {}),
    evidence,
  };
}
