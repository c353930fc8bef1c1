/**
 * What a simulation records while it runs (simulate(), run.ts): the timeline a reader follows,
 * the main application's reasons in order, and the moments the figures are computed from
 * (detection, first decisive decision, verified heal, classification, pages).
 */
import type { Anomaly } from '../../healer/anomaly.js';
import { effectiveVerdict } from '../../healer/classifier.js';
import type { Decision, Reason } from '../../healer/decide/decision.js';
import type { AppTickReport } from '../healer/tick.js';
import { formatOffset, type SimulationFigures, type TimelineEntry } from './figures.js';

const DECISIVE = new Set(['act', 'page', 'record']);

/** One line per decision, as the timeline shows it. */
export function decisionText(d: Decision): string {
  switch (d.kind) {
    case 'act':
      return `act ${d.action.type} [${d.reason}] ${d.diagnosis.summary}`;
    case 'page':
      return `page ${d.severity} [${d.reason}] ${d.diagnosis.summary}`;
    case 'record':
      return `record [${d.reason}] would: ${d.proposed.kind}${d.proposed.kind === 'act' ? ` ${d.proposed.action.type}` : ''} [${d.proposed.reason}]`;
    case 'wait':
    case 'check':
      return `${d.kind} ${formatOffset(d.afterMs)} [${d.reason}]`;
    case 'ignore':
      return `ignore [${d.reason}]`;
  }
}

/** Records the timeline and the figures' moments; `main` is the scenario's application. */
export class SimRecorder {
  readonly timeline: TimelineEntry[] = [];
  readonly reasons: Reason[] = [];
  /** How many times each `kind:reason` became an app's decision, over the fleet. */
  readonly fleetDecisions: Record<string, number> = {};
  detectedAt: number | undefined;
  firstDecision: SimulationFigures['firstDecision'];
  healedAt: number | undefined;
  classifiedAs: SimulationFigures['classifiedAs'];
  pageDecisions = 0;
  private lastMainKey: string | undefined;

  constructor(
    private readonly main: string,
    private readonly minConfidence: number,
  ) {}

  /** Adds a timeline entry (the main application's unless `app` says otherwise). */
  note(t: number, what: TimelineEntry['what'], text: string, app = this.main): void {
    this.timeline.push({ t, app, what, text });
  }

  /** The first restart-loop anomaly is the detection. */
  detection(t: number, anomalies: readonly Anomaly[]): void {
    const a = anomalies.find((x) => x.kind === 'restart-loop');
    if (this.detectedAt !== undefined || !a || a.kind !== 'restart-loop') return;
    this.detectedAt = t;
    this.note(t, 'detect', `restart loop: ${a.restarts} restarts in ${a.periods} periods (${a.metric})`);
  }

  /** A main-app decision: on the timeline when it changes (always for actions, or when forced). */
  decision(t: number, d: Decision, force: boolean): void {
    const key = `${d.kind}:${d.reason}`;
    if (key !== this.lastMainKey || d.kind === 'act' || force) {
      this.note(t, 'decision', decisionText(d));
      if (this.reasons[this.reasons.length - 1] !== d.reason) this.reasons.push(d.reason);
      this.lastMainKey = key;
    }
    if (!this.firstDecision && DECISIVE.has(d.kind))
      this.firstDecision = { t, kind: d.kind, reason: d.reason };
  }

  /** After a restart of the daemon, the next decision is shown even if unchanged. */
  forgetLastDecision(): void {
    this.lastMainKey = undefined;
  }

  /** One application's part of a tick. */
  report(t: number, r: AppTickReport): void {
    const d = r.decision;
    const key = `${d.kind}:${d.reason}`;
    this.fleetDecisions[key] = (this.fleetDecisions[key] ?? 0) + (r.decisionChanged ? 1 : 0);
    if (r.app !== this.main) {
      if (r.action) this.note(t, 'action', actionText(r, false), r.app);
      return;
    }
    this.detection(t, r.anomalies);
    if (r.classification && this.classifiedAs === undefined)
      this.classifiedAs = effectiveVerdict(r.classification, this.minConfidence);
    if (d.kind === 'page' && r.decisionChanged) this.pageDecisions++;
    if (r.reconciliation) this.note(t, 'reconcile', reconciliationText(r.reconciliation));
    for (const e of r.events)
      this.note(t, 'incident', `${e.type}${e.type === 'updated' ? `: ${e.what}` : ''} (${e.incident.key})`);
    const v = r.verification;
    if (v && v.kind !== 'pending') {
      this.note(t, 'verify', `${v.kind}: ${v.kind === 'healed' ? v.via : v.reason}, ${v.evidence}`);
      if (v.kind === 'healed' && v.via !== 'stopped' && this.healedAt === undefined) this.healedAt = t;
    }
    this.decision(t, d, false);
    if (r.action) this.note(t, 'action', actionText(r, true));
  }
}

/** An action's result; for the main application with the operation id or the error. */
function actionText(r: AppTickReport, detailed: boolean): string {
  const d = r.decision;
  const result = r.action!.result;
  const type = d.kind === 'act' ? d.action.type : '?';
  if (!detailed) return `${type} → ${result.ok ? 'accepted' : 'rejected'}`;
  return `${type} → ${result.ok ? `accepted (${result.operationId ?? ''})` : `rejected: ${result.error.code}: ${result.error.message}`}`;
}

function reconciliationText(rec: NonNullable<AppTickReport['reconciliation']>): string {
  switch (rec.kind) {
    case 'happened':
      return `intent found in ListApplicationOperations (${rec.operation.operation} ${rec.operation.operationId}): resume verifying, do not repeat`;
    case 'not-happened':
      return 'intent never reached MSF: the ladder may decide again';
    case 'retry-later':
      return `reconcile later: ${rec.why}`;
  }
}
