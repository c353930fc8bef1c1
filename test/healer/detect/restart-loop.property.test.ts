import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessRestarts, detectRestartLoop } from '../../../src/healer/detect/restart-loop.js';
import { NOW, observation, policy, series } from '../fixtures.js';

const p = policy();
/** A counter series: increments (some 0), occasional resets, occasional missing datapoints. */
const counter = fc
  .array(fc.record({ inc: fc.nat(4), reset: fc.boolean(), missing: fc.boolean() }), {
    minLength: 2,
    maxLength: 12,
  })
  .map((steps) => {
    let v = 10;
    return steps.map((s) => {
      v = s.reset ? s.inc : v + s.inc;
      return s.missing ? undefined : v;
    });
  });

describe('restart-loop detector properties', () => {
  it('never reports a loop with fewer than minRestarts restarts in the window', () => {
    fc.assert(
      fc.property(counter, (values) => {
        const a = assessRestarts(series(values), p.loop);
        if (a.state === 'loop') expect(a.restarts).toBeGreaterThanOrEqual(p.loop.minRestarts);
      }),
    );
  });

  it('never reports a loop from a single period of restarts (a burst)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 50 }), (at, burst) => {
        const values = Array.from({ length: 8 }, (_, i) => (i >= at ? 5 + burst : 5));
        expect(assessRestarts(series(values), p.loop).state).not.toBe('loop');
      }),
    );
  });

  it('a reset never counts as restarts: a counter that only drops is never a loop', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(100), { minLength: 2, maxLength: 10 }), (xs) => {
        const values = [...xs].sort((a, b) => b - a);
        expect(assessRestarts(series(values), p.loop).state).not.toBe('loop');
      }),
    );
  });

  it('never fires during maintenance, whatever the counter does', () => {
    fc.assert(
      fc.property(counter, (values) => {
        const out = detectRestartLoop(observation({ status: 'MAINTENANCE', restarts: series(values) }), {
          policy: p,
          now: NOW,
        });
        expect(out.some((a) => a.kind === 'restart-loop')).toBe(false);
      }),
    );
  });
});
