import { Writable } from 'node:stream';
import type { Clock } from '../../../src/core/clock.js';
import { createDaemonLogger } from '../../../src/services/healer/logger.js';
import type { FakeCloudWatch } from '../../fakes/cloudwatch/fake.js';
import { configOf, fakePorts, jobView, MIN, NOW, NPE, putRestarts, restWithJob } from './fixtures.js';

/** The in-process daemon's world: a bad deploy that loops, a stepping clock, a log sink. */
export const JOB = 'b'.repeat(32);

/** A clock whose sleeps advance time instantly and which stops the daemon after `ticks` sleeps. */
export class SteppingClock implements Clock {
  sleeps = 0;
  constructor(
    private t: number,
    private readonly stopAfter: number,
    private readonly stop: AbortController,
    private readonly onSleep: (now: number) => void = () => {},
  ) {}
  now() {
    return this.t;
  }
  async sleep(ms: number) {
    this.t += Math.max(ms, 1);
    this.sleeps++;
    this.onSleep(this.t);
    if (this.sleeps >= this.stopAfter) this.stop.abort();
  }
}

export function logSink() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, logger: createDaemonLogger('debug', stream) };
}

export const config = (mode: 'act' | 'dry-run', journal: string) =>
  configOf({
    flink: { applications: [{ name: 'orders', managed: { applicationName: 'orders' } }] },
    healer: {
      mode,
      journal,
      tickInterval: '60s',
      suspectCheckInterval: '15s',
      daemon: { listen: '127.0.0.1:0' },
    },
  });

export function loopingWorld() {
  const f = fakePorts({ now: () => NOW });
  f.msf.add(
    {
      applicationName: 'orders',
      versionId: 4,
      versionUpdatedFrom: 3,
      snapshotsEnabled: true,
      runtime: 'FLINK-1_20',
    },
    {
      snapshots: [{ name: 'before', status: 'READY', createTime: new Date(NOW - 30 * MIN).toISOString() }],
      operations: [
        {
          operationId: 'op-upd',
          operation: 'UpdateApplication',
          status: 'SUCCESSFUL',
          startTime: new Date(NOW - 6 * MIN).toISOString(),
          endTime: new Date(NOW - 6 * MIN + 30_000).toISOString(),
        },
      ],
    },
  );
  putRestarts(f.cw as FakeCloudWatch, 'orders', [0, 0, 0, 4, 9, 14, 19, 24]);
  const rest = restWithJob(jobView(JOB, 'orders-enricher v4', { RUNNING: 1, FAILED: 1 }, 'RESTARTING'), [
    { exceptionName: 'java.lang.NullPointerException', stacktrace: NPE, timestamp: NOW - 4 * MIN },
  ]);
  return { ...f, rest };
}
