/**
 * The control API over HTTP (`POST /_emulator/<method>`), for an emulator running in another
 * process: the shared test-bed peer or the `streamctl demo` one. Same methods as EmulatorControl,
 * all async.
 */
import type { EmulatorControl } from './control.js';
import type { SnsMessage } from './sns/api.js';

type Async<T> = {
  [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : never;
};

/** An async EmulatorControl that talks to the emulator at `endpoint`. */
export function remoteControl(endpoint: string): Async<EmulatorControl> {
  const call = async (method: string, args: Record<string, unknown> = {}): Promise<unknown> => {
    const res = await fetch(`${endpoint}/_emulator/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
      signal: AbortSignal.timeout(300_000),
    });
    const body = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`emulator control ${method}: ${String(body.error ?? res.status)}`);
    return body;
  };
  return {
    now: async () => ((await call('now')) as { now: number }).now,
    advanceClock: async (ms) => {
      await call('advanceClock', { ms });
    },
    forceStatus: async (app, status, durationMs) => {
      await call('forceStatus', { app, status, durationMs });
    },
    maintenance: async (app, durationMs) =>
      ((await call('maintenance', { app, durationMs })) as { operationId: string }).operationId,
    addOperation: async (app, op) =>
      ((await call('addOperation', { app, ...op })) as { operationId: string }).operationId,
    failNextOperation: async (app, errorString, operation) => {
      await call('failNextOperation', { app, errorString, ...(operation ? { operation } : {}) });
    },
    setTags: async (app, tags) => {
      await call('setTags', { app, tags });
    },
    putSeries: async (namespace, metricName, dimensions, points) => {
      await call('putSeries', {
        namespace,
        metricName,
        dimensions,
        points: points.map((p) => ({ timestamp: toMs(p.timestamp), value: p.value })),
      });
    },
    putBrokerMetric: async (clusterName, brokerId, metricName, points) => {
      await call('putBrokerMetric', {
        clusterName,
        brokerId,
        metricName,
        points: points.map((p) => ({ timestamp: toMs(p.timestamp), value: p.value })),
      });
    },
    putLogEvents: async (logGroupName, events) => {
      await call('putLogEvents', {
        logGroupName,
        events: events.map((e) => ({ ...e, timestamp: toMs(e.timestamp) })),
      });
    },
    registerMskCluster: async (spec) =>
      (await call('registerMskCluster', spec as unknown as Record<string, unknown>)) as {
        clusterArn: string;
      },
    callCounts: async () => (await call('callCounts')) as Record<string, number>,
    resetCallCounts: async () => {
      await call('resetCallCounts');
    },
    sampleMetrics: async () => {
      await call('sampleMetrics');
    },
    settled: async () => {
      await call('settled');
    },
    snsMessages: async (topicArn) =>
      ((await call('snsMessages', topicArn ? { topicArn } : {})) as { messages: SnsMessage[] }).messages,
    currentJob: async (app) => {
      const j = (await call('currentJob', { app })) as { jobId?: string; versionId?: number };
      return j.jobId ? { jobId: j.jobId, versionId: j.versionId! } : undefined;
    },
  };
}

function toMs(t: number | Date | string): number {
  return typeof t === 'number' ? t : new Date(t).getTime();
}
