import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { type Config, ConfigSchema } from '../../../src/config/schema.js';
import type { JobException, JobView } from '../../../src/domain/flink.js';
import { policyFromConfig } from '../../../src/healer/policy.js';
import { createCloudWatchProbe } from '../../../src/probes/cloudwatch/index.js';
import type { CloudWatchPort } from '../../../src/probes/cloudwatch/port.js';
import { flinkAppQuery } from '../../../src/probes/cloudwatch/queries.js';
import type { FlinkPorts } from '../../../src/services/flink/context.js';
import { FakeCloudWatch } from '../../fakes/cloudwatch/fake.js';
import { FakeCloudWatchLogs } from '../../fakes/cloudwatch-logs/fake.js';
import { FakeFlinkRest } from '../../fakes/flink-rest/fake.js';
import { FakeManagedFlink } from '../../fakes/managed-flink/fake.js';

export const MIN = 60_000;
/** 2026-11-22T00:10:30Z: mid-period, so the current period is partial as in real life. */
export const NOW = Date.UTC(2026, 10, 22, 0, 10, 30);

/** A config with the given healer and flink sections (defaults elsewhere). */
export function configOf(raw: { flink?: unknown; healer?: unknown; aws?: unknown } = {}): Config {
  return ConfigSchema.parse({ aws: { region: 'us-east-1' }, ...raw });
}

export const policy = policyFromConfig({});

/** Fake ports: MSF and Logs fakes; CloudWatch either the fake or the real probe (over a mocked client). */
export function fakePorts(opts: { cw?: CloudWatchPort; now?: () => number } = {}) {
  const msf = new FakeManagedFlink(opts.now ?? (() => NOW));
  const cw = opts.cw ?? new FakeCloudWatch();
  const logs = new FakeCloudWatchLogs();
  const ports: FlinkPorts = {
    msf: () => msf,
    cloudWatch: () => cw,
    logs: () => logs,
    apiCallStats: () => ({}),
    close: () => {},
  };
  return { msf, cw, logs, ports };
}

/** The real CloudWatch probe over an SDK client (mock it with aws-sdk-client-mock). */
export function realCloudWatchProbe(): CloudWatchPort {
  return createCloudWatchProbe(new CloudWatchClient({ region: 'us-east-1' }));
}

/** Restart counter values at the period starts before NOW (oldest first), put into the fake. */
export function putRestarts(
  cw: FakeCloudWatch,
  app: string,
  values: Array<number | undefined>,
  runtime = 'FLINK-1_20',
): void {
  const q = flinkAppQuery(app, app, 'restarts', { runtime });
  const last = Math.floor(NOW / MIN) * MIN;
  const pts = values
    .map((v, i) => ({ t: last - (values.length - 1 - i) * MIN, value: v }))
    .filter((p): p is { t: number; value: number } => p.value !== undefined);
  cw.put(q, pts);
}

export const NPE = [
  'java.lang.NullPointerException: Cannot invoke "String.toUpperCase()" because "region" is null',
  '\tat com.acme.streamctl.testjob.Enrich.map(Enrich.java:72)',
  '\tat org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)',
].join('\n');

export function jobView(id: string, name: string, subtasks: JobView['subtasks'], state = 'RUNNING'): JobView {
  return { id, name, state, startTime: NOW - 5 * MIN, subtasks, vertices: [] };
}

export function restWithJob(view: JobView, exceptions: JobException[] = [], metrics = {}): FakeFlinkRest {
  return new FakeFlinkRest().setJob({ view, exceptions, metrics });
}
