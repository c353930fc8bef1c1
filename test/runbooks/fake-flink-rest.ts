import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeFlinkBackend } from '../peers/sandbox/aws-emulator/index.js';

/** The stack trace of the test job's `user-error` mode (as the real job throws it). */
export const NPE_TRACE =
  'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null\n\tat com.acme.Enrich.map(Enrich.java:42)\n\tat org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)';

/**
 * A Flink REST endpoint (127.0.0.1) over the emulator's in-memory FakeFlinkBackend, so the
 * presigned dashboard the emulator proxies has something to answer with: the jobs, their
 * subtasks (RUNNING, or CANCELED while a looping job restarts) and, for a job in `user-error`
 * mode, its exception history. Only what the runbooks read is served; anything else is 404.
 */
export async function startFakeFlinkRest(
  fake: FakeFlinkBackend,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const jobs = [...fake.jobs.values()];
    const state = async (id: string) => String((await fake.jobState(id)) ?? 'FAILED');
    if (path === '/jobs/overview') {
      const list = await Promise.all(
        jobs.map(async (j) => ({
          jid: j.id,
          name: j.spec.appName,
          state: await state(j.id),
          'start-time': j.startedAt,
          tasks: { total: 1 },
        })),
      );
      return send(200, { jobs: list });
    }
    if (path === '/jobs')
      return send(200, {
        jobs: await Promise.all(jobs.map(async (j) => ({ id: j.id, status: await state(j.id) }))),
      });
    const m = /^\/jobs\/([0-9a-f]{32})(\/exceptions)?$/.exec(path);
    const job = m ? fake.jobs.get(m[1]!) : undefined;
    if (!m || !job) return send(404, { errors: ['Not found'] });
    if (m[2]) {
      const entries =
        job.spec.mode === 'user-error'
          ? [
              {
                exceptionName: 'java.lang.NullPointerException',
                stacktrace: NPE_TRACE,
                timestamp: job.startedAt + 1000,
                taskName: 'Enrich (1/1)',
              },
            ]
          : [];
      return send(200, { exceptionHistory: { entries, truncated: false } });
    }
    const s = await state(job.id);
    const vertex = s === 'RUNNING' ? 'RUNNING' : s === 'RESTARTING' ? 'CANCELED' : s;
    return send(200, {
      jid: job.id,
      name: job.spec.appName,
      state: s,
      'start-time': job.startedAt,
      'status-counts': { [vertex]: 1 },
      vertices: [
        {
          id: 'v1',
          name: 'Source: numbers -> Enrich',
          parallelism: 1,
          status: vertex,
          tasks: { [vertex]: 1 },
        },
      ],
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
