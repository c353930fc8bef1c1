/**
 * Binds a runbook, its context and a target into the driver the interactive ink flow calls:
 * the same engine steps the unattended runner uses, one at a time.
 */
import type { FlowDriver } from '../ui/runbook/flow.js';
import { actStep, diagnoseAndExplain, type Explained, verifyStep } from './engine.js';
import type { ProgressEvent, Runbook, RunbookContext } from './types.js';

/** `listeners` receive the context's progress events (the context's `progress` must fan out to them). */
export function flowDriver<D>(
  rb: Runbook<D>,
  ctx: RunbookContext,
  target: string,
  listeners: Set<(e: ProgressEvent) => void>,
): FlowDriver {
  let explained: Explained<D> | undefined;
  const diagnosis = () => {
    if (!explained) throw new Error('act before diagnose'); // the flow only acts after diagnose resolved
    return explained.diagnosis;
  };
  return {
    title: rb.title,
    target,
    steps: rb.steps,
    diagnose: async () => (explained = await diagnoseAndExplain(rb, ctx, target)),
    act: (o) => actStep(rb, ctx, target, diagnosis(), o),
    verify: (o, a) => verifyStep(rb, ctx, diagnosis(), o, a),
    onProgress: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
