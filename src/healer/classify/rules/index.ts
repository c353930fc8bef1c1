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
import { packagingRules } from './packaging.js';
import { runtimeFallback } from './runtime.js';
import { stateRules } from './state.js';
import { userCodeRules } from './user-code.js';

/** Runs the text rules, the runtime fallback, then the context rules. */
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
  const explained = explainLossByMemory(text);
  const all = [...explained, ...runtimeFallback(ev, explained)];
  return [...all, ...contextRules(ev.context, all)];
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
