import { describe, expect, it } from 'vitest';
import type { JobView, SubtaskCounts } from '../../../src/domain/flink.js';
import { evaluateSubtasks } from '../../../src/probes/flink-rest/subtasks.js';

function job(state: string, subtasks: SubtaskCounts): JobView {
  return { id: 'a'.repeat(32), name: 'orders-enricher v1', state, subtasks, vertices: [] };
}

describe('evaluateSubtasks', () => {
  it('no job at all is its own verdict', () => {
    expect(evaluateSubtasks(undefined)).toEqual({
      kind: 'no-job',
      counts: {},
      reason: 'no Flink job is running',
    });
  });

  it.each<[string, string, SubtaskCounts, string]>([
    ['every subtask RUNNING', 'RUNNING', { RUNNING: 4, FAILED: 0, CANCELED: 0 }, 'all 4 subtasks RUNNING'],
    [
      'RUNNING plus FINISHED subtasks of a bounded branch',
      'RUNNING',
      { RUNNING: 3, FINISHED: 1 },
      'all 3 subtasks RUNNING (1 FINISHED)',
    ],
  ])('all-running: %s', (_l, state, counts, reason) => {
    expect(evaluateSubtasks(job(state, counts))).toEqual({ kind: 'all-running', counts, reason });
  });

  it.each<[string, string, SubtaskCounts, string]>([
    ['job FAILING', 'FAILING', { RUNNING: 3, FAILED: 1 }, 'job is FAILING (1 FAILED of 4 subtasks)'],
    [
      'job RESTARTING (a loop restarts it)',
      'RESTARTING',
      { CANCELED: 1, FAILED: 1 },
      'job is RESTARTING (1 FAILED, 1 CANCELED of 2 subtasks)',
    ],
    ['job FAILED', 'FAILED', { FAILED: 2 }, 'job is FAILED (2 FAILED of 2 subtasks)'],
    ['job CANCELED', 'CANCELED', { CANCELED: 2 }, 'job is CANCELED (2 CANCELED of 2 subtasks)'],
    ['a streaming job that FINISHED', 'FINISHED', { FINISHED: 2 }, 'job is FINISHED'],
    ['one FAILED subtask in a RUNNING job', 'RUNNING', { RUNNING: 3, FAILED: 1 }, '1 FAILED of 4 subtasks'],
    ['one CANCELED subtask', 'RUNNING', { RUNNING: 3, CANCELED: 1 }, '1 CANCELED of 4 subtasks'],
    ['one CANCELING subtask', 'RUNNING', { RUNNING: 3, CANCELING: 1 }, '1 CANCELING of 4 subtasks'],
    [
      'a failure while others still deploy',
      'RUNNING',
      { DEPLOYING: 2, FAILED: 1, RUNNING: 1 },
      '1 FAILED of 4 subtasks',
    ],
  ])('failed: %s', (_l, state, counts, reason) => {
    expect(evaluateSubtasks(job(state, counts))).toEqual({ kind: 'failed', counts, reason });
  });

  it.each<[string, string, SubtaskCounts, string]>([
    [
      'CREATED subtasks waiting for slots',
      'RUNNING',
      { RUNNING: 1, CREATED: 1 },
      'job is RUNNING, 1 CREATED of 2 subtasks',
    ],
    ['SCHEDULED', 'RUNNING', { SCHEDULED: 2 }, 'job is RUNNING, 2 SCHEDULED of 2 subtasks'],
    ['DEPLOYING', 'RUNNING', { RUNNING: 1, DEPLOYING: 1 }, 'job is RUNNING, 1 DEPLOYING of 2 subtasks'],
    [
      'INITIALIZING (restoring state)',
      'RUNNING',
      { RUNNING: 1, INITIALIZING: 1 },
      'job is RUNNING, 1 INITIALIZING of 2 subtasks',
    ],
    ['RECONCILING', 'RECONCILING', { RECONCILING: 2 }, 'job is RECONCILING, 2 RECONCILING of 2 subtasks'],
    ['a job still INITIALIZING without subtasks', 'INITIALIZING', {}, 'job is INITIALIZING, no subtasks yet'],
    ['a job CREATED', 'CREATED', { CREATED: 2 }, 'job is CREATED, 2 CREATED of 2 subtasks'],
    [
      'RUNNING job, zero counts everywhere',
      'RUNNING',
      { RUNNING: 0, FAILED: 0 },
      'job is RUNNING, no subtasks yet',
    ],
  ])('in-progress: %s', (_l, state, counts, reason) => {
    expect(evaluateSubtasks(job(state, counts))).toEqual({ kind: 'in-progress', counts, reason });
  });
});
