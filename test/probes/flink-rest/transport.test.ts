import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { StreamctlError } from '../../../src/core/errors.js';
import { Health, Sysexit } from '../../../src/core/exit-codes.js';
import { clearRegisteredSecrets, redactString } from '../../../src/core/redact.js';
import {
  DashboardUnavailable,
  FlinkRestError,
  statusFromMessage,
} from '../../../src/probes/flink-rest/errors.js';
import {
  DirectTransport,
  MAX_UNUSED_AGE_MS,
  PresignedTransport,
} from '../../../src/probes/flink-rest/transport.js';
import { DashboardUnavailableError } from '../../../src/probes/managed-flink/errors.js';
import { type StrictServer, strictServer } from './strict-server.js';

let server: StrictServer;

beforeEach(async () => {
  server = await strictServer();
});

afterEach(async () => {
  await server.close();
  clearRegisteredSecrets();
});

/** Everything an error shows a human or a log. */
function shown(e: unknown): string {
  const s = e as StreamctlError;
  return `${s.message}\n${s.hint ?? ''}\n${String(e)}\n${JSON.stringify(e)}`;
}

describe('DirectTransport', () => {
  it('GETs <base>/<endpoint> with the query and the bearer token, and returns the JSON', async () => {
    server.expect({ path: '/jobs/abc/metrics?get=numRestarts', body: [{ id: 'numRestarts', value: '3' }] });
    const t = new DirectTransport(`${server.url}/`, 'proxy-token-123');

    const body = await t.get('jobs/abc/metrics', { get: 'numRestarts' });

    expect(body).toEqual([{ id: 'numRestarts', value: '3' }]);
    expect(server.received[0]?.headers.authorization).toBe('Bearer proxy-token-123');
    expect(redactString('token proxy-token-123')).not.toContain('proxy-token-123');
    server.verify();
  });

  it.each([
    [404, 'not-found', Sysexit.DATAERR, false],
    [401, 'denied', Sysexit.NOPERM, false],
    [403, 'denied', Sysexit.NOPERM, false],
    [400, 'bad-request', Sysexit.SOFTWARE, false],
    [500, 'unavailable', Sysexit.UNAVAILABLE, true],
    [503, 'unavailable', Sysexit.UNAVAILABLE, true],
    [504, 'timeout', Sysexit.TEMPFAIL, true],
  ] as const)(
    'maps HTTP %i to a %s error (exit %i, transient %s) with Flink’s first error line',
    async (status, failure, exit, transient) => {
      server.expect({
        path: '/jobs/x',
        status,
        body: {
          errors: [
            'org.apache.flink.runtime.rest.NotFoundException: Job x not found\n\tat org.apache.flink.Foo.bar(Foo.java:1)',
          ],
        },
      });

      const e = await new DirectTransport(server.url).get('jobs/x').catch((err: unknown) => err);

      expect(e).toBeInstanceOf(FlinkRestError);
      expect(e).toMatchObject({ failure, exitCode: exit, transient, httpStatus: status });
      expect((e as Error).message).toBe(`Flink REST GET jobs/x: HTTP ${status}: Job x not found`);
      server.verify();
    },
  );

  it('reports a refused connection as unavailable (exit 69)', async () => {
    const url = server.url;
    await server.close();

    const e = await new DirectTransport(url).get('overview').catch((err: unknown) => err);

    expect(e).toMatchObject({ failure: 'unavailable', exitCode: Sysexit.UNAVAILABLE });
    expect((e as Error).message).toMatch(/^Flink REST GET overview: connection failed \(ECONNREFUSED\)$/);
    server = await strictServer();
  });

  it('reports a JobManager that does not answer as a timeout (exit 75)', async () => {
    server.expect({ path: '/overview', hang: true });

    const e = await new DirectTransport(server.url, undefined, { timeoutMs: 200 })
      .get('overview')
      .catch((err: unknown) => err);

    expect(e).toMatchObject({ failure: 'timeout', exitCode: Sysexit.TEMPFAIL });
    server.verify();
  });
});

describe('PresignedTransport', () => {
  let clock: VirtualClock;
  let issued: string[];
  const presignFrom = (tokens: string[]) => async () => {
    const token = tokens.shift();
    if (!token) throw new Error('test: no more presigned URLs');
    issued.push(token);
    return { authorizedUrl: `${server.url}/flinkdashboard?authToken=${token}` };
  };

  beforeEach(() => {
    clock = new VirtualClock(1_000_000);
    issued = [];
  });

  it('calls <base>/flinkdashboard/<endpoint>?…&authToken=<token> and reuses a used URL for the session', async () => {
    server.expect(
      { path: '/flinkdashboard/jobs?authToken=tokA', body: { jobs: [] } },
      { path: '/flinkdashboard/jobs/overview?x=1&authToken=tokA', body: { jobs: [] } },
    );
    const t = new PresignedTransport(presignFrom(['tokA', 'tokB']), clock);

    await t.get('jobs');
    clock.advance(10 * 60_000); // well past the 3-minute first-use window: the session is what counts now
    await t.get('jobs/overview', { x: '1' });

    expect(issued).toEqual(['tokA']);
    server.verify();
  });

  it.each([
    [MAX_UNUSED_AGE_MS, ['tokA'], 'tokA'],
    [MAX_UNUSED_AGE_MS + 1, ['tokA', 'tokB'], 'tokB'],
  ])('an unused URL %i ms old: presigned %j, request uses %s', async (ageMs, expectedIssued, used) => {
    // The first request never got an answer, so tokA is still unused.
    server.expect(
      { path: '/flinkdashboard/jobs?authToken=tokA', destroy: true },
      { path: `/flinkdashboard/jobs?authToken=${used}`, body: { jobs: [] } },
    );
    const t = new PresignedTransport(presignFrom(['tokA', 'tokB']), clock);
    await expect(t.get('jobs')).rejects.toMatchObject({ failure: 'unavailable' });

    clock.advance(ageMs);
    await t.get('jobs');

    expect(issued).toEqual(expectedIssued);
    server.verify();
  });

  it('on 403 fetches one fresh URL and retries once, then succeeds', async () => {
    server.expect(
      { path: '/flinkdashboard/jobs?authToken=tokA', body: { jobs: [] } },
      {
        path: '/flinkdashboard/jobs?authToken=tokA',
        status: 403,
        body: { errors: ['Forbidden: the dashboard session expired'] },
      },
      { path: '/flinkdashboard/jobs?authToken=tokB', body: { jobs: [{ id: 'j', status: 'RUNNING' }] } },
    );
    const t = new PresignedTransport(presignFrom(['tokA', 'tokB']), clock);
    await t.get('jobs');

    const body = await t.get('jobs');

    expect(body).toEqual({ jobs: [{ id: 'j', status: 'RUNNING' }] });
    expect(issued).toEqual(['tokA', 'tokB']);
    server.verify();
  });

  it('a second 403 is a real denial (exit 77): no third URL, no loop', async () => {
    server.expect(
      { path: '/flinkdashboard/jobs?authToken=tokA', status: 403, body: { errors: ['Forbidden'] } },
      { path: '/flinkdashboard/jobs?authToken=tokB', status: 403, body: { errors: ['Forbidden'] } },
    );
    const t = new PresignedTransport(presignFrom(['tokA', 'tokB', 'tokC']), clock);

    const e = await t.get('jobs').catch((err: unknown) => err);

    expect(e).toMatchObject({ failure: 'denied', exitCode: Sysexit.NOPERM });
    expect(issued).toEqual(['tokA', 'tokB']);
    server.verify();
  });

  it('concurrent requests share one presigned URL', async () => {
    server.expect(
      { path: /^\/flinkdashboard\/jobs\?authToken=tokA$/, body: { jobs: [] } },
      { path: /^\/flinkdashboard\/jobs\?authToken=tokA$/, body: { jobs: [] } },
    );
    const t = new PresignedTransport(presignFrom(['tokA', 'tokB']), clock);

    await Promise.all([t.get('jobs'), t.get('jobs')]);

    expect(issued).toEqual(['tokA']);
    server.verify();
  });

  it.each([
    [
      'a raw SDK ResourceInUseException',
      Object.assign(new Error('Application orders is in UPDATING status'), {
        name: 'ResourceInUseException',
      }),
      'UPDATING',
    ],
    [
      'the MSF probe’s DashboardUnavailableError',
      new DashboardUnavailableError('orders', 'AUTOSCALING', new Error('ResourceInUseException')),
      'AUTOSCALING',
    ],
    [
      'a ResourceInUseException without a status',
      Object.assign(new Error('busy'), { name: 'ResourceInUseException' }),
      undefined,
    ],
  ])(
    'turns %s into DashboardUnavailable (exit 3 UNKNOWN), asking once and calling nothing',
    async (_label, thrown, status) => {
      let calls = 0;
      const t = new PresignedTransport(async () => {
        calls++;
        throw thrown;
      }, clock);

      const e = await t.get('jobs').catch((err: unknown) => err);

      expect(e).toBeInstanceOf(DashboardUnavailable);
      expect(e).toMatchObject({
        code: 'DASHBOARD_UNAVAILABLE',
        exitCode: Health.UNKNOWN,
        transient: false,
        status,
      });
      expect((e as Error).message).toBe(`dashboard unavailable: application is ${status ?? 'not RUNNING'}`);
      expect(calls).toBe(1);
      server.verify();
    },
  );

  it.each([
    [
      'Application orders is in UPDATING status; the Flink dashboard is available only when RUNNING',
      'UPDATING',
    ],
    ['Application orders is FORCE_STOPPING', 'FORCE_STOPPING'],
    ['Application is in AUTOSCALING state.', 'AUTOSCALING'],
    // The statuses an operation needs come first; the application's own comes after "is".
    ['Allowed only in RUNNING, UPDATING, AUTOSCALING; application is ROLLING_BACK', 'ROLLING_BACK'],
    ['The application must be RUNNING', 'RUNNING'],
    ['Resource in use', undefined],
  ])(
    'reads the status of %j as %s (the application’s own, not the ones an operation needs)',
    (message, status) => {
      expect(statusFromMessage(message)).toBe(status);
    },
  );

  it('reports the dashboard’s 503 (application left RUNNING mid-session) as DashboardUnavailable', async () => {
    server.expect({
      path: '/flinkdashboard/jobs?authToken=tokA',
      status: 503,
      body: { errors: ['not RUNNING'] },
    });

    const e = await new PresignedTransport(presignFrom(['tokA']), clock)
      .get('jobs')
      .catch((err: unknown) => err);

    expect(e).toBeInstanceOf(DashboardUnavailable);
    server.verify();
  });

  it('passes other presign failures on as typed errors (IAM denial → exit 77)', async () => {
    const denied = Object.assign(
      new Error('User is not authorized to perform kinesisanalytics:CreateApplicationPresignedUrl'),
      { name: 'AccessDeniedException' },
    );

    const e = await new PresignedTransport(async () => Promise.reject(denied), clock)
      .get('jobs')
      .catch((err: unknown) => err);

    expect(e).toMatchObject({ exitCode: Sysexit.NOPERM });
    expect((e as Error).message).toMatch(/^CreateApplicationPresignedUrl: User is not authorized/);
  });

  describe('never shows the URL or the token', () => {
    const token = 'SeCrEtToKeN-abcdef0123456789';

    it.each([
      [
        'an HTTP 500 whose body echoes the URL',
        { status: 500, body: { errors: [`proxy failed for /flinkdashboard/jobs?authToken=${token}`] } },
      ],
      ['an HTTP 404 whose body echoes the token', { status: 404, body: { errors: [`no job for ${token}`] } }],
      ['a non-JSON error page echoing the token', { status: 502, body: `<html>bad gateway ${token}</html>` }],
      ['a cut connection', { destroy: true }],
    ])('in errors: %s', async (_label, answer) => {
      server.expect({ path: `/flinkdashboard/jobs?authToken=${token}`, ...answer });
      const t = new PresignedTransport(
        async () => ({ authorizedUrl: `${server.url}/flinkdashboard?authToken=${token}` }),
        clock,
      );

      const e = await t.get('jobs').catch((err: unknown) => err);

      expect(e).toBeInstanceOf(StreamctlError);
      expect(shown(e)).not.toContain(token);
      expect(shown(e)).not.toContain('authToken=S');
      expect(t.target).toBe('MSF Flink dashboard');
      server.verify();
    });

    it('registers the URL and the token for redaction as soon as they are issued', async () => {
      const url = `${server.url}/flinkdashboard?authToken=${token}`;
      server.expect({ path: `/flinkdashboard/overview?authToken=${token}`, body: {} });

      await new PresignedTransport(async () => ({ authorizedUrl: url }), clock).get('overview');

      expect(redactString(`log line with ${token} and ${url}`)).not.toContain(token);
      server.verify();
    });

    it('rejects an AuthorizedUrl without a token, without echoing it', async () => {
      const bad = `${server.url}/flinkdashboard?session=${token}`;

      const e = await new PresignedTransport(async () => ({ authorizedUrl: bad }), clock)
        .get('jobs')
        .catch((err: unknown) => err);

      expect(e).toMatchObject({ code: 'BAD_INPUT', exitCode: Sysexit.DATAERR });
      expect((e as Error).message).toBe(
        'CreateApplicationPresignedUrl response: AuthorizedUrl: expected an http(s) URL with an authToken query parameter',
      );
      expect(shown(e)).not.toContain(token);
    });
  });
});
