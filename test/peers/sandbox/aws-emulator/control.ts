/**
 * The emulator's control API for tests and the demo: things AWS does on its own (force a status
 * for a while, record a Maintenance, fail the next operation), emulator time, injected metric
 * series and log events, registered MSK clusters, and per-operation call counts.
 * In-process as `control`, and over HTTP as `POST /_emulator/<method>` with a JSON body of the
 * same named arguments (for the demo and other processes).
 */
import type { EmulatorClock } from './clock.js';
import type { MsfSampler } from './cloudwatch/msf-sampler.js';
import type { Dimension, MetricStore } from './cloudwatch/store.js';
import type { LogGroups } from './logs/groups.js';
import type { MsfEngine } from './msf/engine.js';
import type { AppOperation, ForcedStatus } from './msf/model.js';
import type { MskClusterSpec, MskClusters } from './msk/clusters.js';
import type { SnsMessage, SnsTopics } from './sns/api.js';

/** A timestamp as epoch ms, a Date, or an ISO string. */
export type TimeLike = number | Date | string;

export interface EmulatorControl {
  /** Emulator time (epoch ms). */
  now(): number;
  /** Moves emulator time forward by `ms`. */
  advanceClock(ms: number): void;
  /** Reports `status` for `durationMs` of emulator time (AWS-initiated UPDATING/AUTOSCALING/MAINTENANCE). */
  forceStatus(app: string, status: ForcedStatus, durationMs: number): void;
  /** Runs an AWS maintenance: MAINTENANCE for `durationMs`, a Maintenance operation, the job restarted from a snapshot. */
  maintenance(app: string, durationMs: number): string;
  /** Records an operation AWS ran on its own, e.g. `Maintenance`. */
  addOperation(
    app: string,
    op: { operation: string; status?: AppOperation['status']; errorString?: string; durationMs?: number },
  ): string;
  /** The next lifecycle operation (optionally only of this kind) fails with `errorString`. */
  failNextOperation(app: string, errorString: string, operation?: string): void;
  /** Replaces the application's tags. */
  setTags(app: string, tags: Record<string, string>): void;
  /** Adds samples to a CloudWatch series. */
  putSeries(
    namespace: string,
    metricName: string,
    dimensions: Dimension[],
    points: { timestamp: TimeLike; value: number }[],
  ): void;
  /** Adds samples to an AWS/Kafka per-broker series (`Cluster Name`, `Broker ID`). */
  putBrokerMetric(
    clusterName: string,
    brokerId: number,
    metricName: string,
    points: { timestamp: TimeLike; value: number }[],
  ): void;
  /** Adds events to a log group (created if needed). */
  putLogEvents(
    logGroupName: string,
    events: { timestamp: TimeLike; message: string; logStream?: string }[],
  ): void;
  /** Registers an MSK cluster (usually the test bed's real brokers); returns its ARN. */
  registerMskCluster(spec: MskClusterSpec): { clusterArn: string };
  /** Calls per `<service>.<Operation>` since start or the last reset. */
  callCounts(): Record<string, number>;
  resetCallCounts(): void;
  /** Samples every application's Flink job into the AWS/KinesisAnalytics series now. */
  sampleMetrics(): Promise<void>;
  /** Resolves when no lifecycle operation is in flight. */
  settled(): Promise<void>;
  /** Messages published to SNS (optionally to one topic), oldest first. */
  snsMessages(topicArn?: string): SnsMessage[];
  /** The real Flink job currently backing an application, if any. */
  currentJob(app: string): { jobId: string; versionId: number } | undefined;
}

export function createControl(deps: {
  clock: EmulatorClock;
  engine: MsfEngine;
  metrics: MetricStore;
  logs: LogGroups;
  msk: MskClusters;
  sampler: MsfSampler;
  counts: Map<string, number>;
  sns: SnsTopics;
}): EmulatorControl {
  const { clock, engine, metrics, logs, msk, sampler, counts, sns } = deps;
  const ms = (t: TimeLike) => {
    const v = typeof t === 'number' ? t : new Date(t).getTime();
    if (!Number.isFinite(v)) throw new Error(`not a timestamp: ${String(t)}`);
    return v;
  };
  return {
    now: () => clock.now(),
    advanceClock: (d) => clock.advance(d),
    forceStatus(app, status, durationMs) {
      if (!['UPDATING', 'AUTOSCALING', 'MAINTENANCE'].includes(status))
        throw new Error(`forceStatus: ${status} is not UPDATING, AUTOSCALING or MAINTENANCE`);
      engine.forceStatus(engine.get(app), status, durationMs);
    },
    maintenance(app, durationMs) {
      return engine.maintenance(engine.get(app), durationMs);
    },
    addOperation(app, op) {
      return engine.addOperation(
        engine.get(app),
        op.operation,
        op.status ?? 'SUCCESSFUL',
        op.errorString,
        op.durationMs ?? 0,
      );
    },
    failNextOperation(app, errorString, operation) {
      engine.get(app).failNext = { errorString, ...(operation ? { operation } : {}) };
    },
    setTags(app, tags) {
      engine.get(app).tags = new Map(Object.entries(tags));
    },
    putSeries(namespace, metricName, dimensions, points) {
      metrics.put(
        namespace,
        metricName,
        dimensions,
        points.map((p) => ({ t: ms(p.timestamp), v: p.value })),
      );
    },
    putBrokerMetric(clusterName, brokerId, metricName, points) {
      const dims = [
        { Name: 'Cluster Name', Value: clusterName },
        { Name: 'Broker ID', Value: String(brokerId) },
      ];
      metrics.put(
        'AWS/Kafka',
        metricName,
        dims,
        points.map((p) => ({ t: ms(p.timestamp), v: p.value })),
      );
    },
    putLogEvents(group, events) {
      logs.put(
        group,
        events.map((e) => ({
          timestampMs: ms(e.timestamp),
          message: e.message,
          logStream: e.logStream ?? 'test-stream',
        })),
      );
    },
    registerMskCluster(spec) {
      return { clusterArn: msk.register(spec, clock.now()).arn };
    },
    callCounts: () => Object.fromEntries([...counts].sort((a, b) => a[0].localeCompare(b[0]))),
    resetCallCounts: () => counts.clear(),
    sampleMetrics: () => sampler.sampleNow(),
    settled: () => engine.settled(),
    snsMessages: (topicArn) =>
      sns.messages.filter((m) => (topicArn ? m.topicArn === topicArn : true)).map((m) => ({ ...m })),
    currentJob(app) {
      const j = engine.get(app).job;
      return j ? { jobId: j.jobId, versionId: j.versionId } : undefined;
    },
  };
}

/** `POST /_emulator/<method>` → the control call with the body's named arguments. */
export async function callControl(
  control: EmulatorControl,
  method: string,
  a: Record<string, unknown>,
): Promise<unknown> {
  const s = (k: string) => a[k] as string;
  switch (method) {
    case 'now':
      return { now: control.now() };
    case 'advanceClock':
      control.advanceClock(Number(a.ms));
      return { now: control.now() };
    case 'forceStatus':
      control.forceStatus(s('app'), s('status') as ForcedStatus, Number(a.durationMs));
      return {};
    case 'maintenance':
      return { operationId: control.maintenance(s('app'), Number(a.durationMs)) };
    case 'addOperation':
      return { operationId: control.addOperation(s('app'), a as { operation: string }) };
    case 'failNextOperation':
      control.failNextOperation(s('app'), s('errorString'), a.operation as string | undefined);
      return {};
    case 'setTags':
      control.setTags(s('app'), a.tags as Record<string, string>);
      return {};
    case 'putSeries':
      control.putSeries(
        s('namespace'),
        s('metricName'),
        a.dimensions as Dimension[],
        a.points as { timestamp: number; value: number }[],
      );
      return {};
    case 'putBrokerMetric':
      control.putBrokerMetric(
        s('clusterName'),
        Number(a.brokerId),
        s('metricName'),
        a.points as { timestamp: number; value: number }[],
      );
      return {};
    case 'putLogEvents':
      control.putLogEvents(s('logGroupName'), a.events as { timestamp: number; message: string }[]);
      return {};
    case 'registerMskCluster':
      return control.registerMskCluster(a as unknown as MskClusterSpec);
    case 'callCounts':
      return control.callCounts();
    case 'resetCallCounts':
      control.resetCallCounts();
      return {};
    case 'sampleMetrics':
      await control.sampleMetrics();
      return {};
    case 'settled':
      await control.settled();
      return {};
    case 'currentJob':
      return control.currentJob(s('app')) ?? {};
    case 'snsMessages':
      return { messages: control.snsMessages(a.topicArn as string | undefined) };
    default:
      throw new Error(`unknown control method ${method}`);
  }
}
