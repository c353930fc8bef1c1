import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { permissionDenied } from '../../src/core/errors.js';
import { type DoctorDeps, runDoctor } from '../../src/services/doctor.js';

const config = parseConfigText(
  `
aws: { region: us-east-1 }
kafka:
  clusters:
    - { name: orders, msk: { arn: "arn:aws:kafka:eu-west-1:123456789012:cluster/orders/abc-1" }, auth: { type: msk-iam } }
    - { name: legacy, bootstrap: ["127.0.0.1:9092"] }
flink:
  applications:
    - { name: enricher, managed: { applicationName: orders-enricher } }
    - { name: sessions, rest: { url: "http://127.0.0.1:8081" } }
`,
  'doctor.yaml',
);

function deps(overrides: Partial<Record<keyof DoctorDeps, () => Promise<string>>> = {}): DoctorDeps {
  const ok = (d: string) => () => async () => d;
  const pick = (k: keyof DoctorDeps, d: string) => (overrides[k] ? () => overrides[k]! : ok(d));
  return {
    kafka: pick('kafka', '3 broker(s)'),
    credentials: pick('credentials', 'key'),
    msfList: pick('msfList', '1 application(s)'),
    msfDescribe: pick('msfDescribe', 'RUNNING'),
    cloudwatch: pick('cloudwatch', 'allowed'),
    logs: pick('logs', 'allowed'),
    mskDescribe: pick('mskDescribe', 'ACTIVE'),
    flinkRest: pick('flinkRest', 'Flink 1.20'),
  } as DoctorDeps;
}

describe('doctor', () => {
  it('plans one dry read per target and per region, and is OK when all pass', async () => {
    const r = await runDoctor(config, deps());
    expect(r.severity).toBe('OK');
    expect(r.checks.map((c) => `${c.target}: ${c.check}`)).toEqual([
      'kafka/orders: MSK DescribeClusterV2',
      'kafka/orders: bootstrap reachable and authenticated',
      'kafka/legacy: bootstrap reachable and authenticated',
      'flink/enricher: MSF DescribeApplication',
      'flink/sessions: Flink REST reachable',
      'aws/eu-west-1: credentials resolve',
      'aws/eu-west-1: CloudWatch GetMetricData',
      'aws/eu-west-1: MSF ListApplications',
      'aws/eu-west-1: CloudWatch Logs Insights',
      'aws/us-east-1: credentials resolve',
      'aws/us-east-1: CloudWatch GetMetricData',
      'aws/us-east-1: MSF ListApplications',
      'aws/us-east-1: CloudWatch Logs Insights',
    ]);
  });

  it('reports each failure with its fix without hiding the other checks', async () => {
    const r = await runDoctor(
      config,
      deps({
        logs: async () => {
          throw permissionDenied('logs:DescribeLogGroups denied');
        },
      }),
    );
    expect(r.severity).toBe('CRITICAL');
    const failed = r.checks.filter((c) => c.status === 'fail');
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatchObject({
      check: 'CloudWatch Logs Insights',
      detail: 'logs:DescribeLogGroups denied',
    });
    expect(failed[0]!.fix).toMatch(/logs:StartQuery/);
    expect(r.checks.filter((c) => c.status === 'ok')).toHaveLength(11);
  });

  it('times a hung check out instead of hanging', async () => {
    const r = await runDoctor(config, deps({ kafka: () => new Promise(() => {}) }), { timeoutMs: 50 });
    expect(r.checks.find((c) => c.target === 'kafka/legacy')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/timed out/),
    });
  });
});

describe('doctor: Flink REST behind a proxy that needs a bearer token', () => {
  it('sends the configured rest.token (a proxy answering 401 without it is not "unreachable")', async () => {
    // Arrange: a loopback proxy that wants `Authorization: Bearer <token>`.
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      if (req.headers.authorization !== 'Bearer proxy-token-123')
        res.writeHead(401).end('{"errors":["no token"]}');
      else
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            taskmanagers: 1,
            'slots-total': 4,
            'slots-available': 2,
            'jobs-running': 2,
            'jobs-finished': 0,
            'jobs-cancelled': 0,
            'jobs-failed': 0,
            'flink-version': '1.20.1',
            'flink-commit': 'abc',
          }),
        );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    process.env.DOCTOR_TEST_FLINK_TOKEN = 'proxy-token-123';
    const cfg = parseConfigText(
      `flink:\n  applications:\n    - { name: jobs, rest: { url: "http://127.0.0.1:${port}", token: { env: DOCTOR_TEST_FLINK_TOKEN } } }\n`,
      'doctor.yaml',
    );
    const { realDoctorDeps } = await import('../../src/cli/doctor-deps.js');
    const real = realDoctorDeps(cfg);
    try {
      // Act
      const r = await runDoctor(cfg, real);

      // Assert
      const check = r.checks.find((c) => c.check === 'Flink REST reachable');
      expect(check).toMatchObject({
        status: 'ok',
        detail: 'Flink 1.20.1, 1 TaskManager(s), 2 running job(s)',
      });
      expect(JSON.stringify(r)).not.toContain('proxy-token-123');
    } finally {
      real.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
