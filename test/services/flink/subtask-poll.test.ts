import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import type { JobView } from '../../../src/domain/flink.js';
import { DashboardUnavailable, type FlinkRestPort } from '../../../src/probes/flink-rest/index.js';
import type { AppTarget } from '../../../src/services/flink/context.js';
import { pollSubtasks } from '../../../src/services/flink/subtask-poll.js';

const JOB = 'a'.repeat(32);
const target: AppTarget = { name: 'enricher', kind: 'managed', applicationName: 'enricher', cfg: { name: 'enricher', managed: { applicationName: 'enricher' }, healing: { enabled: true } } };

/** A scripted REST port: each poll returns the next job view (or throws). */
function scripted(views: Array<JobView | Error>): FlinkRestPort & { calls: number } {
  let i = 0;
  const port = {
    target: 'test',
    calls: 0,
    jobsOverview: async () => {
      const v = views[Math.min(i, views.length - 1)]!;
      if (v instanceof Error) {
        i++;
        throw v;
      }
      return [{ id: JOB, name: 'job', state: v.state, startTime: 1, subtasks: v.subtasks, totalSubtasks: 4 }];
    },
    job: async () => {
      port.calls++;
      return views[Math.min(i++, views.length - 1)] as JobView;
    },
  };
  return port as unknown as FlinkRestPort & { calls: number };
}
const view = (state: string, subtasks: JobView['subtasks']): JobView => ({ id: JOB, name: 'job', state, subtasks, vertices: [] });

describe('pollSubtasks', () => {
  it('waits through INITIALIZING and DEPLOYING until all subtasks RUNNING (exit 0)', async () => {
    const clock = new VirtualClock(0);
    const rest = scripted([view('RUNNING', { INITIALIZING: 4 }), view('RUNNING', { DEPLOYING: 2, RUNNING: 2 }), view('RUNNING', { RUNNING: 4 })]);
    const states: string[] = [];
    const r = await pollSubtasks(rest, target, { wait: true, timeoutMs: 60_000, intervalMs: 10_000, clock, onUpdate: (u) => states.push(u.state) });
    expect(r).toMatchObject({ outcome: 'all-running', exitCode: 0, polls: 3 });
    expect(states).toEqual(['in-progress', 'in-progress', 'all-running']);
    expect(clock.now()).toBe(20_000);
  });

  it('stops at once when any subtask fails (exit 2)', async () => {
    const rest = scripted([view('RUNNING', { INITIALIZING: 4 }), view('RUNNING', { RUNNING: 3, FAILED: 1 }), view('RUNNING', { RUNNING: 4 })]);
    const r = await pollSubtasks(rest, target, { wait: true, timeoutMs: 60_000, intervalMs: 10_000, clock: new VirtualClock() });
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 2, polls: 2 });
  });

  it('times out with exit 75, polling no more than the timeout allows', async () => {
    const rest = scripted([view('RUNNING', { INITIALIZING: 4 })]);
    const r = await pollSubtasks(rest, target, { wait: true, timeoutMs: 30_000, intervalMs: 10_000, clock: new VirtualClock() });
    expect(r).toMatchObject({ outcome: 'timeout', exitCode: 75, polls: 4 });
  });

  it('reports an unavailable dashboard as UNKNOWN (exit 3) without retrying when not settling', async () => {
    const rest = scripted([new DashboardUnavailable('READY')]);
    const r = await pollSubtasks(rest, target, { wait: true, timeoutMs: 60_000, intervalMs: 10_000, clock: new VirtualClock() });
    expect(r).toMatchObject({ outcome: 'unavailable', exitCode: 3, polls: 1 });
  });

  it('treats an application still UPDATING as progress while waiting after an operation', async () => {
    const rest = scripted([new DashboardUnavailable('UPDATING'), new DashboardUnavailable('UPDATING'), view('RUNNING', { RUNNING: 4 })]);
    const states: string[] = [];
    const r = await pollSubtasks(rest, target, { wait: true, timeoutMs: 60_000, intervalMs: 10_000, clock: new VirtualClock(), onUpdate: (u) => states.push(u.state) });
    expect(states).toEqual(['settling', 'settling', 'all-running']);
    expect(r.exitCode).toBe(0);
  });

  it('without --wait looks once: in progress is exit 1', async () => {
    const r = await pollSubtasks(scripted([view('RUNNING', { DEPLOYING: 4 })]), target, { wait: false, timeoutMs: 60_000, intervalMs: 10_000, clock: new VirtualClock() });
    expect(r).toMatchObject({ exitCode: 1, polls: 1 });
  });
});
