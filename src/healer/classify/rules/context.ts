/**
 * Context rules: what happened around the failure, not in it.
 * - A change by the owner shortly before the failure makes "user" likelier; the closer, the more.
 *   It is context (stage `context`): it moves confidence, it never turns the text around (score.ts).
 * - An error reaching a dependency (timeouts, refused connections, DNS) or a permission error right
 *   after the owner changed THAT kind of thing — an endpoint, credentials, IAM, configuration — is
 *   the change's fault (stage `blame`, evidence of cause). A deploy (UpdateApplication) is not such
 *   a change: it may only raise confidence in a user lean the text already has. An error the
 *   dependency itself answered (HTTP 5xx, a broker that lost leadership, a database failover,
 *   throttling) shows the endpoint and the credentials work: no change is blamed for it.
 * - Many applications failing at once in one account/region is a systemic event (system).
 * Pure: the time of the failure comes in `context.now`; nothing reads the clock.
 */
import type { ClassifyContext, RuleHit } from '../types.js';
import { round } from './evidence.js';

/** Windows after a change, with the weight each gives toward "user". */
export const CHANGE_WINDOWS: ReadonlyArray<{ withinMs: number; weight: number; label: string }> = [
  { withinMs: 30 * 60_000, weight: 0.6, label: '30 minutes' },
  { withinMs: 2 * 3_600_000, weight: 0.4, label: '2 hours' },
  { withinMs: 24 * 3_600_000, weight: 0.2, label: '24 hours' },
];

/** External errors within this time after an owner change are attributed to the change. */
export const CHANGE_BLAME_WINDOW_MS = 2 * 3_600_000;

/** Systemic-event thresholds: at least this many apps failing, or this share of the fleet (with ≥ 2 failing). */
export const FLEET_MIN_APPS = 3;
export const FLEET_MIN_SHARE = 0.2;

/** Subtypes of signals that a change of endpoint, credentials or configuration can explain. */
const CHANGE_EXPLAINABLE = new Set(['external-system-unavailable', 'dns-failure', 'bad-config-endpoint']);

/** Change kinds that touch endpoints, credentials or configuration (not a code deploy). */
const ENVIRONMENT_CHANGE =
  /endpoint|iam|role|credential|secret|password|config|network|vpc|subnet|security|auth|permission|policy|property|properties|env/i;

/** Parses epoch ms or ISO-8601; undefined when absent or invalid. */
export function toMs(t: number | string | undefined): number | undefined {
  if (t === undefined) return undefined;
  if (typeof t === 'number') return Number.isFinite(t) ? t : undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function changeAge(ctx: ClassifyContext): number | undefined {
  const at = toMs(ctx.recentChange?.at);
  const now = toMs(ctx.now);
  if (at === undefined || now === undefined) return undefined;
  return now - at;
}

/** Context signals, given the text signals already found. */
export function contextRules(ctx: ClassifyContext, textHits: readonly RuleHit[]): RuleHit[] {
  const out: RuleHit[] = [];
  const change = ctx.recentChange;
  if (change) {
    const age = changeAge(ctx);
    const factor = change.succeeded === false ? 0.5 : 1;
    // Without timestamps the caller vouches that the change is recent: use the widest-window weight.
    const win =
      age === undefined
        ? CHANGE_WINDOWS[1]
        : age < 0
          ? undefined
          : CHANGE_WINDOWS.find((w) => age <= w.withinMs);
    if (win) {
      const when = age === undefined ? 'recently' : `${Math.round(age / 60_000)} min before the failure`;
      out.push({
        rule: 'recent-owner-change',
        subtype: 'recent-change',
        weight: round(win.weight * factor),
        stage: 'context',
        evidence: `${change.kind} ${change.succeeded === false ? 'attempted' : 'succeeded'} ${when} (within ${win.label})`,
      });
    }
    const inWindow = age === undefined || (age >= 0 && age <= CHANGE_BLAME_WINDOW_MS);
    const external = textHits.find(
      (h) => CHANGE_EXPLAINABLE.has(h.subtype) || h.subtype === 'bad-config-auth',
    );
    // Only a change of how the app reaches the dependency is evidence of cause. A code deploy stays
    // context: it cannot turn a timeout, a refused connection or a 5xx into the deploy's fault.
    if (inWindow && external && ENVIRONMENT_CHANGE.test(change.kind)) {
      out.push({
        rule: 'external-error-after-owner-change',
        subtype: external.subtype === 'bad-config-auth' ? 'bad-config-auth' : 'bad-config-endpoint',
        weight: 0.7,
        stage: 'blame',
        explains: external.rule,
        evidence: `${external.rule} right after a ${change.kind} change: the dependency broke for this app only after the owner changed how it reaches it`,
      });
    }
  }
  const failing = ctx.appsFailingNow;
  if (failing !== undefined && failing > 1) {
    const share = ctx.fleetSize && ctx.fleetSize > 0 ? failing / ctx.fleetSize : undefined;
    const systemic = failing >= FLEET_MIN_APPS || (share !== undefined && share >= FLEET_MIN_SHARE);
    if (systemic) {
      const strong = failing >= 5 || (share !== undefined && share >= 0.5);
      out.push({
        rule: 'many-apps-failing-at-once',
        subtype: 'systemic-event',
        weight: strong ? -1.0 : -0.7,
        stage: 'context',
        evidence: `${failing}${ctx.fleetSize ? ` of ${ctx.fleetSize}` : ''} applications failing at once in this account/region`,
      });
    }
  }
  return out;
}
