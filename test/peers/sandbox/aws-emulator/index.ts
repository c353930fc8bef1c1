/**
 * A local AWS emulator that the real AWS SDK v3 clients reach through an `endpoint` override:
 * kinesisanalyticsv2 (MSF) backed by a real Flink cluster, CloudWatch metrics and alarms,
 * CloudWatch Logs Insights over the real Flink logs, and MSK discovery pointing at real local
 * Kafka brokers. One node:http server on 127.0.0.1; see docs/testbed-aws-emulator.md.
 *
 *   request ─▶ Authorization present? ─▶ X-Amz-Target ─▶ JSON RPC service ─▶ operation
 *                                     ├▶ form-encoded Action= ─▶ SNS (Query protocol)
 *                                     └▶ path ─▶ kafka REST routes | /flinkdashboard proxy | /_emulator control
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../../src/core/clock.js';
import { EmulatorClock } from './clock.js';
import { AlarmStore } from './cloudwatch/alarms.js';
import { cloudWatchOperations } from './cloudwatch/api.js';
import { MsfSampler } from './cloudwatch/msf-sampler.js';
import { MetricStore } from './cloudwatch/store.js';
import { callControl, createControl, type EmulatorControl } from './control.js';
import { AwsError } from './errors.js';
import type { FlinkBackend } from './flink-backend.js';
import { logsOperations } from './logs/api.js';
import { LogGroups } from './logs/groups.js';
import { msfOperations } from './msf/api.js';
import { DashboardTokens, serveDashboard } from './msf/dashboard.js';
import { MsfEngine } from './msf/engine.js';
import { mskRoutes } from './msk/api.js';
import { MskClusters } from './msk/clusters.js';
import { RestFlinkBackend } from './rest-flink-backend.js';
import { SnsTopics, sendQueryXml, sendQueryXmlError } from './sns/api.js';
import {
  parseJsonObject,
  readBody,
  sendJsonRpc,
  sendJsonRpcError,
  sendPlain,
  sendRestJson,
  sendRestJsonError,
} from './wire.js';

export type { EmulatorControl } from './control.js';
export { FakeFlinkBackend } from './fake-flink-backend.js';
export type { FlinkBackend, JobMode, JobSpec } from './flink-backend.js';
export { JOB_PROPERTY_GROUP } from './msf/model.js';
export { RestFlinkBackend } from './rest-flink-backend.js';

/** How to reach a real Flink cluster (test/peers/sandbox/flink's FlinkClusterInfo fits). */
export interface RealFlinkRef {
  restUrl: string;
  jobJar: string;
  /** The already uploaded jar's id (the flink peer's `jarId`). */
  jarId?: string;
  /** Directory of the cluster's log files; or give jobManager.logFile. */
  logDir?: string;
  jobManager?: { logFile: string };
  savepointDir?: string;
  extraArgs?: string[];
}

export interface AwsEmulatorOptions {
  /** A FlinkBackend, or a real cluster to build a RestFlinkBackend for. Without it, lifecycle calls fail with UnsupportedOperationException. */
  flink?: FlinkBackend | RealFlinkRef;
  /** The base clock (wall clock by default); the control API adds its offset on top. */
  clock?: Clock;
  /** Port on 127.0.0.1 (0 = any free port). */
  port?: number;
  /** Real-time interval of AWS/KinesisAnalytics sampling (default 5000 ms; 0 disables the timer). */
  sampleIntervalMs?: number;
  /** Cancel the Flink jobs of every application on stop() (default true: the cluster is shared). */
  cancelJobsOnStop?: boolean;
  /** Real-time poll interval and RUNNING timeout of lifecycle operations. */
  pollMs?: number;
  runningTimeoutMs?: number;
}

export interface AwsEmulator {
  /** `http://127.0.0.1:<port>`: pass as `endpoint` to every SDK client. */
  endpoint: string;
  control: EmulatorControl;
  /** Same as `control.settled()`: resolves when no lifecycle operation is in flight. */
  settled(): Promise<void>;
  /** Waits for in-flight operations, cancels the jobs the emulator started, closes the server. */
  stop(): Promise<void>;
}

interface JsonRpcService {
  service: string;
  version: '1.0' | '1.1';
  namespace: string;
  operations: Record<string, (b: Record<string, unknown>) => unknown>;
}

/** Starts the emulator. */
export async function startAwsEmulator(opts: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const clock = new EmulatorClock(opts.clock);
  const backend = toBackend(opts.flink);
  const engine = new MsfEngine({
    backend,
    clock,
    ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}),
    ...(opts.runningTimeoutMs !== undefined ? { runningTimeoutMs: opts.runningTimeoutMs } : {}),
  });
  const metrics = new MetricStore();
  const alarms = new AlarmStore();
  const logs = new LogGroups(engine, backend, clock);
  const msk = new MskClusters();
  const sampler = new MsfSampler(engine, backend, metrics, clock);
  const counts = new Map<string, number>();
  let endpoint = '';
  const dashboard = new DashboardTokens(() => endpoint);

  const targets = new Map<string, JsonRpcService>([
    [
      'KinesisAnalytics_20180523',
      {
        service: 'kinesisanalyticsv2',
        version: '1.1',
        namespace: 'com.amazonaws.kinesisanalyticsv2',
        operations: msfOperations(engine, clock, dashboard),
      },
    ],
    [
      'GraniteServiceVersion20100801',
      {
        service: 'cloudwatch',
        version: '1.0',
        namespace: 'com.amazonaws.cloudwatch',
        operations: cloudWatchOperations(metrics, alarms, clock),
      },
    ],
    [
      'Logs_20140328',
      {
        service: 'logs',
        version: '1.1',
        namespace: 'com.amazonaws.cloudwatchlogs',
        operations: logsOperations(logs),
      },
    ],
  ]);
  const routes = mskRoutes(msk);
  const sns = new SnsTopics();
  const control = createControl({ clock, engine, metrics, logs, msk, sampler, counts, sns });
  const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/_emulator/')) {
      if (req.method !== 'POST') return sendPlain(res, 405, { error: 'POST only' });
      try {
        const body = parseJsonObject(await readBody(req));
        return sendPlain(
          res,
          200,
          (await callControl(control, url.pathname.slice('/_emulator/'.length), body)) ?? {},
        );
      } catch (e) {
        return sendPlain(res, 400, { error: (e as Error).message });
      }
    }
    if (url.pathname === '/flinkdashboard' || url.pathname.startsWith('/flinkdashboard/')) {
      return serveDashboard(req, res, url, { tokens: dashboard, engine, backend, clock });
    }
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const [prefix, op] = target.split('.', 2) as [string, string | undefined];
      const svc = targets.get(prefix);
      if (!svc)
        return sendPlain(res, 400, {
          __type: 'UnknownOperationException',
          message: `unknown X-Amz-Target ${target}`,
        });
      try {
        // SigV4 is accepted unverified, but a request without any signature is refused as AWS does.
        if (!req.headers.authorization)
          throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
        const handler = op ? svc.operations[op] : undefined;
        if (!handler)
          throw new AwsError('UnknownOperationException', `${svc.service} operation ${op} is not emulated`);
        count(`${svc.service}.${op}`);
        const body = parseJsonObject(await readBody(req));
        return sendJsonRpc(res, svc.version, await handler(body));
      } catch (e) {
        return sendJsonRpcError(res, svc.version, toAwsError(e), svc.namespace);
      }
    }
    if (
      req.method === 'POST' &&
      String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    ) {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      try {
        if (!req.headers.authorization)
          throw new AwsError('MissingAuthenticationToken', 'Missing Authentication Token', 403);
        count(`sns.${form.get('Action')}`);
        return sendQueryXml(res, String(form.get('Action')), sns.handle(form, clock.now()));
      } catch (e) {
        return sendQueryXmlError(res, toAwsError(e));
      }
    }
    try {
      if (!req.headers.authorization)
        throw new AwsError('UnauthorizedException', 'Missing Authentication Token', 403);
      for (const r of routes) {
        const m = r.method === req.method ? r.pattern.exec(url.pathname) : null;
        if (!m) continue;
        count(`kafka.${r.operation}`);
        const raw = await readBody(req);
        const out = r.handle(m, {
          method: r.method,
          path: url.pathname,
          query: url.searchParams,
          body: parseJsonObject(raw),
        });
        return sendRestJson(res, out.status, out.body);
      }
      throw new AwsError('NotFoundException', `no emulated route for ${req.method} ${url.pathname}`, 404);
    } catch (e) {
      return sendRestJsonError(res, toAwsError(e));
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) sendPlain(res, 500, { error: String((e as Error)?.message ?? e) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sampler.start(opts.sampleIntervalMs ?? 5000);

  return {
    endpoint,
    control,
    settled: () => engine.settled(),
    async stop() {
      await sampler.stop();
      await engine.settled();
      if (backend && opts.cancelJobsOnStop !== false) {
        await Promise.allSettled(
          [...engine.apps.values()].flatMap((a) => (a.job ? [backend.cancelJob(a.job.jobId)] : [])),
        );
      }
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await backend?.close?.();
    },
  };
}

function toBackend(flink: AwsEmulatorOptions['flink']): FlinkBackend | undefined {
  if (!flink) return undefined;
  if ('startJob' in flink) return flink;
  const logDir =
    flink.logDir ?? (flink.jobManager ? flink.jobManager.logFile.replace(/\/[^/]+$/, '') : undefined);
  return new RestFlinkBackend({
    restUrl: flink.restUrl,
    jobJar: flink.jobJar,
    ...(flink.jarId ? { jarId: flink.jarId } : {}),
    ...(logDir ? { logDir } : {}),
    ...(flink.savepointDir ? { savepointDir: flink.savepointDir } : {}),
    ...(flink.extraArgs ? { extraArgs: flink.extraArgs } : {}),
  });
}

/** Unexpected exceptions become the service's internal error rather than a dropped connection. */
function toAwsError(e: unknown): AwsError {
  if (e instanceof AwsError) return e;
  return new AwsError(
    'ServiceUnavailableException',
    `emulator error: ${(e as Error)?.message ?? String(e)}`,
    500,
  );
}

export { remoteControl } from './control-client.js';
