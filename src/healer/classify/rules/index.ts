/** Every rule family, in one place, so the classifier and the docs list the same set. */
import type { RuleHit } from '../types.js';
import { checkpointRules } from './checkpoint.js';
import { clusterRules } from './cluster.js';
import { configurationRules } from './configuration.js';
import { contextRules } from './context.js';
import { dataRules } from './data.js';
import type { Evidence } from './evidence.js';
import { externalRules } from './external.js';
import { loopRules } from './loop.js';
import { memoryRules } from './memory.js';
import { bugInFrameworkCode, frameworkFailureModes, runtimeFallback } from './ownership.js';
import { packagingRules } from './packaging.js';
import { stateRules } from './state.js';
import { userCodeRules } from './user-code.js';
import { unrecognisedException, vocabularyFallback } from './vocabulary.js';

/**
 * Runs the text rules (exception and message knowledge, then who threw it), the runtime fallback for
 * what nothing explained, then the context rules.
 */
export function runRules(ev: Evidence): RuleHit[] {
  const text = [
    ...userCodeRules(ev),
    ...packagingRules(ev),
    ...stateRules(ev),
    ...memoryRules(ev),
    ...configurationRules(ev),
    ...dataRules(ev),
    ...clusterRules(ev),
    ...checkpointRules(ev),
    ...externalRules(ev),
    ...loopRules(ev),
  ];
  // Where knowledge explains the root cause itself (Flink's "No operators defined", a null the job
  // produced), a programming error thrown by Flink is that, not a bug of Flink.
  const explainedAsUser = text.some(
    (h) =>
      h.weight > 0 &&
      (h.rule === 'null-rejected-by-serializer-or-state' || h.evidence.startsWith('root cause:')),
  );
  const rootExplained = text.some((h) => h.weight !== 0 && h.evidence.startsWith('root cause:'));
  text.push(...bugInFrameworkCode(ev, explainedAsUser), ...frameworkFailureModes(ev, rootExplained));
  const explained = explainLossByMemory(text);
  const withRuntime = [...explained, ...runtimeFallback(ev, explained)];
  const worded = [...withRuntime, ...vocabularyFallback(ev, withRuntime)];
  const all = [...worded, ...unrecognisedException(ev, worded)];
  const context = contextRules(ev.context, all);
  return [...explainedBy(all, context), ...context];
}

/** Subtypes of a TaskManager going away. */
const LOSS = new Set(['taskmanager-lost']);

/**
 * A TaskManager lost because it ran out of memory (heap OOM, container memory limit) is the
 * memory problem, not a node failure: the loss signals are kept (they are true) but weakened.
 */
function explainLossByMemory(hits: RuleHit[]): RuleHit[] {
  const memory = hits.find((h) => h.subtype === 'user-oom');
  if (!memory) return hits;
  return hits.map((h) =>
    LOSS.has(h.subtype)
      ? {
          ...h,
          weight: Math.round(h.weight * 30) / 100,
          evidence: `${h.evidence} (explained by ${memory.rule})`,
        }
      : h,
  );
}

/** A text hit that a blame hit explains (an owner change caused it) weighs nothing on its own. */
function explainedBy(hits: RuleHit[], context: readonly RuleHit[]): RuleHit[] {
  const blame = context.find((h) => h.stage === 'blame' && h.explains);
  if (!blame) return hits;
  return hits.map((h) =>
    h.rule === blame.explains && h.weight < 0
      ? { ...h, weight: 0, evidence: `${h.evidence} (explained by ${blame.rule})` }
      : h,
  );
}
