/**
 * What the live view of `kafka rebalance execute` shows, as a pure fold over the executor's
 * events (no ink here, so it is tested and reused without a terminal): the latest progress
 * figures, the phase, a stall, and the last permanent events as text.
 */

import type { ExecEvent } from '../../services/rebalance-exec/executor.js';
import type { ProgressFigures } from '../../services/rebalance-exec/progress.js';
import { renderEvent } from '../../services/rebalance-render.js';

/** Permanent event lines kept under the progress (older ones scroll away). */
export const LOG_LINES = 6;

/** The live view's state. */
export interface ExecViewState {
  phase?: string;
  figures?: ProgressFigures;
  /** Set while the current batch is stalled (cleared by `stall-over` or the next batch). */
  stall?: Extract<ExecEvent, { type: 'stall' }>;
  log: string[];
}

/** The state before the first event. */
export const initialExecView: ExecViewState = { log: [] };

/** Folds one event into the view's state. */
export function reduceExecView(s: ExecViewState, e: ExecEvent): ExecViewState {
  switch (e.type) {
    case 'progress':
      return { ...s, figures: e.figures };
    case 'stall':
      return { ...s, stall: e, log: push(s.log, renderEvent(e).text) };
    case 'stall-over':
    case 'batch-done': {
      const { stall: _, ...rest } = s;
      return { ...rest, log: push(s.log, renderEvent(e).text) };
    }
    case 'phase':
      return { ...s, phase: e.to, log: push(s.log, renderEvent(e).text) };
    default: {
      const r = renderEvent(e);
      return r.transient ? s : { ...s, log: push(s.log, r.text) };
    }
  }
}

function push(log: string[], line: string): string[] {
  return [...log, line].slice(-LOG_LINES);
}

/** A one-to-many relay from the executor's `emit` to the view (which subscribes once mounted). */
export interface EventHub {
  publish(e: ExecEvent): void;
  /** Subscribes; events published before the first subscriber are replayed to it. */
  subscribe(listener: (e: ExecEvent) => void): () => void;
}

/** Creates a hub that buffers events until the view is listening. */
export function createEventHub(): EventHub {
  const listeners = new Set<(e: ExecEvent) => void>();
  let early: ExecEvent[] | undefined = [];
  return {
    publish(e) {
      if (early) early.push(e);
      for (const l of listeners) l(e);
    },
    subscribe(listener) {
      listeners.add(listener);
      if (early) {
        for (const e of early) listener(e);
        early = undefined;
      }
      return () => listeners.delete(listener);
    },
  };
}
