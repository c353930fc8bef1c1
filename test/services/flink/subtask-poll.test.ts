import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import type { JobView } from '../../../src/domain/flink.js';
import { DashboardUnavailable, type FlinkRestPort } from '../../../src/probes/flink-rest/index.js';
import type { AppTarget } from '../../../src/services/flink/context.js';
import { pollSubtasks } from '../../../src/services/flink/subtask-poll.js';

const JOB = 'a'.repeat(32);
const target: AppTarget = {
  name: 'enricher',
  kind: 'managed',
  applicationName: 'enricher',
  cfg: { name: 'enricher', managed: { applicationName: 'enricher' }, healing: { enabled: true } },
};

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
const view = (state: string, subtasks: JobView['subtasks']): JobView => ({
  id: JOB,
  name: 'job',
  state,
  subtasks,
  vertices: [],
});

describe('pollSubtasks', () => {
  it('waits through INITIALIZING and DEPLOYING until all subtasks RUNNING (exit 0)', async () => {
    const clock = new VirtualClock(0);
    const rest = scripted([
      view('RUNNING', { INITIALIZING: 4 }),
      view('RUNNING', { DEPLOYING: 2, RUNNING: 2 }),
      view('RUNNING', { RUNNING: 4 }),
    ]);
    const states: string[] = [];
    const r = await pollSubtasks(rest, target, {
      wait: true,
      timeoutMs: 60_000,
      intervalMs: 10_000,
      clock,
      onUpdate: (u) => states.push(u.state),
    });
    expect(r).toMatchObject({ outcome: 'all-running', exitCode: 0, polls: 3 });
    expect(states).toEqual(['in-progress', 'in-progress', 'all-running']);
    expect(clock.now()).toBe(20_000);
  });

  it('stops at once when any subtask fails (exit 2)', async () => {
    const rest = scripted([
      view('RUNNING', { INITIALIZING: 4 }),
      view('RUNNING', { RUNNING: 3, FAILED: 1 }),
      view('RUNNING', { RUNNING: 4 }),
    ]);
    const r = await pollSubtasks(rest, target, {
      wait: true,
      timeoutMs: 60_000,
      intervalMs: 10_000,
      clock: new VirtualClock(),
    });
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 2, polls: 2 });
  });

  it('times out with exit 75, polling no more than the timeout allows', async () => {
    const rest = scripted([view('RUNNING', { INITIALIZING: 4 })]);
    const r = await pollSubtasks(rest, target, {
      wait: true,
      timeoutMs: 30_000,
      intervalMs: 10_000,
      clock: new VirtualClock(),
    });
    expect(r).toMatchObject({ outcome: 'timeout', exitCode: 75, polls: 4 });
  });

  it('reports an unavailable dashboard as UNKNOWN (exit 3) without retrying when not settling', async () => {
    const rest = scripted([new DashboardUnavailable('READY')]);
    const r = await pollSubtasks(rest, target, {
      wait: true,
      timeoutMs: 60_000,
      intervalMs: 10_000,
      clock: new VirtualClock(),
    });
    expect(r).toMatchObject({ outcome: 'unavailable', exitCode: 3, polls: 1 });
  });

  it('treats an application still UPDATING as progress while waiting after an operation', async () => {
    const rest = scripted([
      new DashboardUnavailable('UPDATING'),
      new DashboardUnavailable('UPDATING'),
      view('RUNNING', { RUNNING: 4 }),
    ]);
    const states: string[] = [];
    const r = await pollSubtasks(rest, target, {
      wait: true,
      timeoutMs: 60_000,
      intervalMs: 10_000,
      clock: new VirtualClock(),
      onUpdate: (u) => states.push(u.state),
    });
    expect(states).toEqual(['settling', 'settling', 'all-running']);
    expect(r.exitCode).toBe(0);
  });

  it('without --wait looks once: in progress is exit 1', async () => {
    const r = await pollSubtasks(scripted([view('RUNNING', { DEPLOYING: 4 })]), target, {
      wait: false,
      timeoutMs: 60_000,
      intervalMs: 10_000,
      clock: new VirtualClock(),
    });
    expect(r).toMatchObject({ exitCode: 1, polls: 1 });
  });
});

describe('waitAfterOperation (flink rollback --wait)', () => {
  it('waits for the rollback operation to finish before reading subtasks: the old, looping job is not the outcome', async () => {
    // Arrange: a looping app rolled back; until the operation settles, the dashboard still shows
    // the old job RESTARTING; after it, the restored job with all subtasks RUNNING.
    const { FakeManagedFlink } = await import('../../fakes/managed-flink/fake.js');
    const { ConfigSchema } = await import('../../../src/config/schema.js');
    const { waitAfterOperation } = await import('../../../src/services/flink/subtask-poll.js');
    const clock = new VirtualClock(0);
    const msf = new FakeManagedFlink(() => clock.now());
    msf.add(
      { applicationName: 'enricher', versionId: 7, versionUpdatedFrom: 6 },
      { snapshots: [{ name: 's1', status: 'READY', createTime: '2026-11-22T00:00:00Z' }] },
    );
    const started = await msf.rollback('enricher', { currentVersionId: 7 });
    let sleeps = 0;
    const settlingClock = {
      now: () => clock.now(),
      sleep: async (ms: number) => {
        await clock.sleep(ms);
        if (++sleeps === 2) msf.settle('enricher');
      },
    };
    const settled = () =>
      msf.apps.get('enricher')!.detail.status === 'RUNNING' &&
      msf.apps.get('enricher')!.operations[0]!.status === 'SUCCESSFUL';
    const rest = {
      target: 'test',
      jobsOverview: async () => [
        {
          id: JOB,
          name: 'job',
          state: settled() ? 'RUNNING' : 'RESTARTING',
          startTime: 1,
          subtasks: {},
          totalSubtasks: 4,
        },
      ],
      job: async () => (settled() ? view('RUNNING', { RUNNING: 4 }) : view('RESTARTING', { CANCELED: 4 })),
    } as unknown as FlinkRestPort;
    const config = ConfigSchema.parse({
      flink: { applications: [{ name: 'enricher', managed: { applicationName: 'enricher' } }] },
    });
    const ports = {
      msf: () => msf,
      cloudWatch: () => {
        throw new Error('unexpected');
      },
      logs: () => {
        throw new Error('unexpected');
      },
      apiCallStats: () => ({}),
      close: () => undefined,
    };

    // Act
    const r = await waitAfterOperation(config, ports, 'enricher', {
      timeoutMs: 600_000,
      intervalMs: 10_000,
      expect: 'running',
      clock: settlingClock,
      rest,
      ...(started.operationId ? { operationId: started.operationId } : {}),
    });

    // Assert
    expect(r).toMatchObject({ outcome: 'all-running', exitCode: 0 });
  });

  it('reports a rollback operation that FAILED as failed (exit 2), without polling subtasks', async () => {
    const { FakeManagedFlink } = await import('../../fakes/managed-flink/fake.js');
    const { ConfigSchema } = await import('../../../src/config/schema.js');
    const { waitAfterOperation } = await import('../../../src/services/flink/subtask-poll.js');
    const clock = new VirtualClock(0);
    const msf = new FakeManagedFlink(() => clock.now());
    msf.add(
      { applicationName: 'enricher', versionId: 7, versionUpdatedFrom: 6 },
      { snapshots: [{ name: 's1', status: 'READY', createTime: '2026-11-22T00:00:00Z' }] },
    );
    const started = await msf.rollback('enricher', { currentVersionId: 7 });
    msf.settle('enricher', 'FAILED');
    const rest = {
      target: 'test',
      jobsOverview: async () => {
        throw new Error('subtasks must not be polled');
      },
    } as unknown as FlinkRestPort;
    const config = ConfigSchema.parse({
      flink: { applications: [{ name: 'enricher', managed: { applicationName: 'enricher' } }] },
    });
    const ports = {
      msf: () => msf,
      cloudWatch: () => {
        throw new Error('unexpected');
      },
      logs: () => {
        throw new Error('unexpected');
      },
      apiCallStats: () => ({}),
      close: () => undefined,
    };

    const r = await waitAfterOperation(config, ports, 'enricher', {
      timeoutMs: 600_000,
      intervalMs: 10_000,
      expect: 'running',
      clock,
      rest,
      operationId: started.operationId!,
    });

    expect(r).toMatchObject({ outcome: 'failed', exitCode: 2 });
    expect(r.last.reason).toContain('RollbackApplication FAILED');
  });
});

describe('waitAfterOperation after a self-managed force-stop', () => {
  it('waits until the job is no longer running, over Flink REST (there is no MSF application to describe)', async () => {
    // Arrange: the job is CANCELLING on the first look, CANCELED on the second.
    const { ConfigSchema } = await import('../../../src/config/schema.js');
    const { waitAfterOperation } = await import('../../../src/services/flink/subtask-poll.js');
    const states = ['CANCELLING', 'CANCELED'];
    let looks = 0;
    const rest = {
      target: 'test',
      jobsOverview: async () => [
        {
          id: JOB,
          name: 'job',
          state: states[Math.min(looks++, states.length - 1)]!,
          startTime: 1,
          subtasks: {},
          totalSubtasks: 4,
        },
      ],
    } as unknown as FlinkRestPort;
    const config = ConfigSchema.parse({
      flink: { applications: [{ name: 'sessions', rest: { url: 'http://127.0.0.1:8081' } }] },
    });
    const unexpected = () => {
      throw new Error('unexpected AWS call for a self-managed application');
    };
    const ports = {
      msf: unexpected,
      cloudWatch: unexpected,
      logs: unexpected,
      apiCallStats: () => ({}),
      close: () => undefined,
    };

    // Act
    const r = await waitAfterOperation(config, ports, 'sessions', {
      timeoutMs: 600_000,
      intervalMs: 10_000,
      expect: 'stopped',
      clock: new VirtualClock(0),
      rest,
    });

    // Assert
    expect(r).toMatchObject({ outcome: 'all-running', exitCode: 0, polls: 2 });
    expect(r.last.reason).toContain('CANCELED');
  });
});
