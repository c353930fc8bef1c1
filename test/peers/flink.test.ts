import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import flinkKind, { type FlinkPeerInfo, type StartedFlinkPeer } from './kinds/flink.js';
import {
  cancelJob,
  FlinkJobSubmitError,
  getJobMetric,
  getNumRestarts,
  runJob,
  stopWithSavepoint,
  waitForAllSubtasksRunning,
  waitForJobState,
} from './sandbox/flink/index.js';
import { bindPidDir, usePeer } from './use.js';

/**
 * The real Flink test bed: a Flink 1.20 standalone session cluster (JobManager + TaskManager JVMs)
 * and the streamctl test job in each of its modes. Every wait is a deadline loop, never a timed
 * assertion: the machine is shared and slow.
 */

const DEADLINE_MS = 120_000;

/** Polls `probe` until it returns a value (not undefined); fails with `what` after the deadline. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  deadlineMs = DEADLINE_MS,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > until)
      throw new Error(
        `not true within ${deadlineMs} ms: ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

interface ExceptionsBody {
  exceptionHistory: { entries: Array<{ exceptionName: string; stacktrace: string; taskName?: string }> };
}

async function enrichMetric(restUrl: string, jobId: string, name: string): Promise<number | undefined> {
  const job = await getJson<{ vertices: Array<{ id: string; name: string }> }>(`${restUrl}/jobs/${jobId}`);
  const vertex = job.vertices.find((v) => v.name.startsWith('Enrich'));
  if (!vertex) return undefined;
  const metrics = await getJson<Array<{ id: string; value: string }>>(
    `${restUrl}/jobs/${jobId}/vertices/${vertex.id}/metrics?get=0.Enrich.${name}`,
  );
  const v = metrics[0]?.value;
  return v === undefined ? undefined : Number(v);
}

// Several deadline loops per test: a slow shared machine may need more than the default 120 s in total.
describe('real Flink 1.20 session cluster (shared)', { timeout: 300_000 }, () => {
  let flink: FlinkPeerInfo;
  const jobs: string[] = [];

  beforeAll(async () => {
    flink = await usePeer<FlinkPeerInfo>('flink', {});
  });

  afterEach(async () => {
    // Free the shared cluster's slots for the next test (and the other test files).
    for (const id of jobs.splice(0)) {
      const state = await getJson<{ state: string }>(`${flink.restUrl}/jobs/${id}`);
      if (!['FINISHED', 'CANCELED', 'FAILED'].includes(state.state)) await cancelJob(flink.restUrl, id);
    }
  });

  it('binds every listening socket of the JobManager and the TaskManager to 127.0.0.1', () => {
    const jm = listeningAddresses(flink.jobManager.pid);
    const tm = listeningAddresses(flink.taskManager.pid);

    expect(jm.length).toBeGreaterThanOrEqual(3); // REST, RPC, blob server, metrics query service
    expect(tm.length).toBeGreaterThanOrEqual(2); // RPC, data exchange, metrics query service
    expect([...jm, ...tm].filter((a) => !LOOPBACK.has(a))).toEqual([]);
  });

  it('runs the healthy job until every subtask is RUNNING, and the TaskManager logs the transitions', async () => {
    const jobId = await runJob(flink.restUrl, flink.jarId, { mode: 'healthy', version: 'v1' });
    jobs.push(jobId);

    const counts = await waitForAllSubtasksRunning(flink.restUrl, jobId, DEADLINE_MS);

    expect(counts.RUNNING).toBe(2); // source + (Enrich -> discard) chained, parallelism 1
    const job = await getJson<{ name: string; state: string }>(`${flink.restUrl}/jobs/${jobId}`);
    expect(job).toMatchObject({ name: 'orders-enricher v1', state: 'RUNNING' });
    expect(readFileSync(flink.taskManager.logFile, 'utf8')).toMatch(
      /Enrich -> discard: Writer \(1\/1\)#\d+ \(\S+\) switched from INITIALIZING to RUNNING\./,
    );
  });

  it('puts the user-error job into a real fail-and-restart loop with the NPE and its user frame in /exceptions', async () => {
    const jobId = await runJob(flink.restUrl, flink.jarId, {
      mode: 'user-error',
      version: 'v2',
      args: ['--fail-after', '10'],
    });
    jobs.push(jobId);

    const restarts = await eventually('numRestarts > 2', async () => {
      const n = await getNumRestarts(flink.restUrl, jobId);
      return n !== undefined && n > 2 ? n : undefined;
    });

    expect(restarts).toBeGreaterThan(2);
    const body = await getJson<ExceptionsBody>(`${flink.restUrl}/jobs/${jobId}/exceptions?maxExceptions=5`);
    const first = body.exceptionHistory.entries[0];
    expect(first?.exceptionName).toBe('java.lang.NullPointerException');
    expect(first?.stacktrace).toMatch(
      /^java\.lang\.NullPointerException[^\n]*\n\tat com\.acme\.streamctl\.testjob\.Enrich\.map\(Enrich\.java:\d+\)/,
    );
    expect(readFileSync(flink.taskManager.logFile, 'utf8')).toMatch(
      /Enrich -> discard: Writer \(1\/1\)#\d+ \(\S+\) switched from RUNNING to FAILED with failure cause:/,
    );
  });

  it('fails the external-mode job with ConnectException while nothing listens, and recovers once the endpoint is back', async () => {
    const port = await freePort();
    const jobId = await runJob(flink.restUrl, flink.jarId, {
      mode: 'external',
      version: 'v1',
      args: ['--endpoint', `127.0.0.1:${port}`],
    });
    jobs.push(jobId);

    const failure = await eventually('a ConnectException in the exception history', async () => {
      const body = await getJson<ExceptionsBody>(`${flink.restUrl}/jobs/${jobId}/exceptions?maxExceptions=5`);
      return body.exceptionHistory.entries.find((e) => e.exceptionName === 'java.net.ConnectException');
    });
    expect(failure.stacktrace).toMatch(/Connection refused/);

    const received: string[] = [];
    const listener = await listen(port, (line) => received.push(line));
    try {
      await waitForAllSubtasksRunning(flink.restUrl, jobId, DEADLINE_MS);
      const lines = await eventually('orders written to the endpoint', async () =>
        received.length >= 5 ? received.slice(0, 5) : undefined,
      );
      expect(lines.every((l) => /^customer-\d,(EU-WEST|US-EAST),\d+$/.test(l))).toBe(true);
    } finally {
      await cancelJob(flink.restUrl, jobId);
      await waitForJobState(flink.restUrl, jobId, ['CANCELED']);
      await new Promise<void>((r) => listener.close(() => r()));
    }
  });

  it('surfaces an exception thrown in main() as the /jars/:id/run error, and starts no job', async () => {
    const before = await getJson<{ jobs: unknown[] }>(`${flink.restUrl}/jobs`);

    const error = await runJob(flink.restUrl, flink.jarId, { mode: 'fail-in-main', version: 'v3' }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(FlinkJobSubmitError);
    const submit = error as FlinkJobSubmitError;
    expect(submit.httpStatus).toBeGreaterThanOrEqual(400);
    expect(submit.message).toContain('orders-enricher v3: required option --orders-topic is missing');
    expect(submit.flinkErrors.join('\n')).toContain('java.lang.IllegalStateException');
    const after = await getJson<{ jobs: unknown[] }>(`${flink.restUrl}/jobs`);
    expect(after.jobs).toHaveLength(before.jobs.length);
  });

  it('stops with a savepoint and restores the keyed counters when resubmitted from it', async () => {
    const v1 = await runJob(flink.restUrl, flink.jarId, { mode: 'healthy', version: 'v1' });
    jobs.push(v1);
    await waitForAllSubtasksRunning(flink.restUrl, v1, DEADLINE_MS);
    const seen = await eventually('some orders counted', async () => {
      const n = await enrichMetric(flink.restUrl, v1, 'ordersCountMax');
      return n !== undefined && n >= 3 ? n : undefined;
    });

    const savepoint = await stopWithSavepoint(flink.restUrl, v1, flink.savepointDir);
    expect(await waitForJobState(flink.restUrl, v1, ['FINISHED'])).toBe('FINISHED');
    const v2 = await runJob(flink.restUrl, flink.jarId, {
      mode: 'healthy',
      version: 'v2',
      savepointPath: savepoint,
    });
    jobs.push(v2);

    const restored = await eventually('the restored counter', async () => {
      const n = await enrichMetric(flink.restUrl, v2, 'restoredCountMax');
      return n !== undefined && n > 0 ? n : undefined;
    });
    expect(savepoint).toMatch(new RegExp(`^file:${flink.savepointDir}/savepoint-`));
    expect(restored).toBeGreaterThanOrEqual(seen);
    const checkpoints = await getJson<{ counts: { restored: number } }>(
      `${flink.restUrl}/jobs/${v2}/checkpoints`,
    );
    expect(checkpoints.counts.restored).toBe(1);
  });
});

describe('real Flink 1.20 session cluster (private): TaskManager loss', { timeout: 300_000 }, () => {
  let peer: StartedFlinkPeer;

  beforeAll(async () => {
    bindPidDir();
    peer = await flinkKind.start({ taskSlots: 2 });
  });

  afterAll(async () => {
    await peer?.stop();
  });

  it('restarts the job after kill -9 of the TaskManager and runs again on a new one', async () => {
    const { restUrl, jarId } = peer.info;
    const jobId = await runJob(restUrl, jarId, { mode: 'healthy', version: 'v1' });
    await waitForAllSubtasksRunning(restUrl, jobId, DEADLINE_MS);
    expect(await getNumRestarts(restUrl, jobId).then((n) => n ?? 0)).toBe(0);

    await peer.cluster.killTaskManager();
    const restarts = await eventually('numRestarts >= 1 after TaskManager loss', async () => {
      const n = await getNumRestarts(restUrl, jobId);
      return n !== undefined && n >= 1 ? n : undefined;
    });
    const tm = await peer.cluster.startTaskManager();
    const counts = await waitForAllSubtasksRunning(restUrl, jobId, DEADLINE_MS);

    expect(restarts).toBeGreaterThanOrEqual(1);
    expect(tm.resourceId).toBe('taskmanager-2');
    expect(counts.RUNNING).toBe(2);
    expect(await getJobMetric(restUrl, jobId, 'numRestarts')).toBeGreaterThanOrEqual(1);
  });
});

/** /proc/net/tcp{,6} spellings of 127.0.0.1, ::ffff:127.0.0.1 and ::1. */
const LOOPBACK = new Set([
  '0100007F',
  '0000000000000000FFFF00000100007F',
  '00000000000000000000000001000000',
]);

/** Local addresses (hex, as /proc/net shows them) of the TCP sockets `pid` listens on. */
function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      /* the fd closed meanwhile */
    }
  }
  const addresses: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local_address rem_address st ... inode(9); st 0A = LISTEN
      if (cols[3] === '0A' && cols[9] && inodes.has(cols[9]))
        addresses.push((cols[1] ?? '').split(':')[0] ?? '');
    }
  }
  return addresses;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A loopback TCP endpoint that collects the lines the external-mode job writes. */
async function listen(port: number, onLine: (line: string) => void): Promise<Server> {
  const server = createServer((socket) => {
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    });
    socket.on('error', () => {
      /* the job's connection is cut when it is cancelled */
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}
