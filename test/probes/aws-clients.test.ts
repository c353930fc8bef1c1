import { Readable } from 'node:stream';
import { ListApplicationsCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { describe, expect, it } from 'vitest';
import {
  createAwsClients,
  isThrottlingError,
  regionForFlinkApp,
  regionForMskCluster,
  regionFromArn,
} from '../../src/probes/aws-clients.js';
import { awsError } from '../../src/probes/aws-response.js';

interface SeenRequest {
  hostname: string;
  port?: number;
  headers: Record<string, string>;
}

/** A request handler answering from a script, so the real SDK middleware stack (retries included) runs. */
function scriptedHandler(responses: Array<{ status: number; type?: string; body: object }>) {
  const seen: SeenRequest[] = [];
  return {
    seen,
    handler: {
      async handle(req: SeenRequest) {
        seen.push({ hostname: req.hostname, port: req.port, headers: { ...req.headers } });
        const r = responses.shift();
        if (!r) throw new Error('no scripted response left');
        const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
        if (r.type) headers['x-amzn-errortype'] = r.type;
        return {
          response: {
            statusCode: r.status,
            headers,
            body: Readable.from([Buffer.from(JSON.stringify(r.body))]),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  };
}

const aws = (over: Record<string, unknown> = {}) => ({
  region: 'eu-west-1',
  endpoints: { kinesisanalyticsv2: 'http://127.0.0.1:4599' },
  maxAttempts: 3,
  ...over,
});

describe('createAwsClients', () => {
  it('sends to the endpoint override with the streamctl user agent and counts calls, attempts and throttles', async () => {
    const { seen, handler } = scriptedHandler([
      {
        status: 400,
        type: 'ThrottlingException',
        body: { __type: 'ThrottlingException', message: 'Rate exceeded' },
      },
      { status: 200, body: { ApplicationSummaries: [] } },
    ]);
    const clients = createAwsClients(aws(), { version: '9.9.9', requestHandler: handler });

    const out = await clients.kinesisAnalytics().send(new ListApplicationsCommand({ Limit: 50 }));

    expect(out.ApplicationSummaries).toEqual([]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ hostname: '127.0.0.1', port: 4599 });
    expect(seen[0]?.headers['x-amz-target']).toBe('KinesisAnalytics_20180523.ListApplications');
    expect(`${seen[0]?.headers['user-agent']} ${seen[0]?.headers['x-amz-user-agent']}`).toContain(
      'streamctl/9.9.9',
    );
    expect(clients.apiCallStats()).toEqual({
      'kinesisanalyticsv2:ListApplications': { calls: 1, attempts: 2, throttles: 1, errors: 0 },
    });
    clients.destroy();
  });

  it('counts a call that fails after its retries as an error', async () => {
    const { handler } = scriptedHandler([
      {
        status: 400,
        type: 'ResourceNotFoundException',
        body: { __type: 'ResourceNotFoundException', message: 'no' },
      },
    ]);
    const clients = createAwsClients(aws(), { requestHandler: handler });
    await expect(clients.kinesisAnalytics().send(new ListApplicationsCommand({}))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(clients.apiCallStats()['kinesisanalyticsv2:ListApplications']).toEqual({
      calls: 1,
      attempts: 1,
      throttles: 0,
      errors: 1,
    });
  });

  it('makes one client per service and region, with the requested region', async () => {
    const clients = createAwsClients(aws());
    const a = clients.kinesisAnalytics('us-west-2');
    expect(clients.kinesisAnalytics('us-west-2')).toBe(a);
    expect(clients.kinesisAnalytics()).not.toBe(a);
    expect(await a.config.region()).toBe('us-west-2');
    expect(await clients.cloudWatch().config.region()).toBe('eu-west-1');
    expect(await a.config.maxAttempts()).toBe(3);
    clients.destroy();
  });
});

describe('credentials', () => {
  it('uses the named profile (fromIni) and maps a missing profile to "unavailable" (exit 69)', async () => {
    const saved = { config: process.env.AWS_CONFIG_FILE, creds: process.env.AWS_SHARED_CREDENTIALS_FILE };
    process.env.AWS_CONFIG_FILE = '/nonexistent/streamctl-test/config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/streamctl-test/credentials';
    try {
      const { seen, handler } = scriptedHandler([]);
      const clients = createAwsClients(aws({ profile: 'streamctl-missing-profile' }), {
        requestHandler: handler,
      });
      const err = await clients
        .kinesisAnalytics()
        .send(new ListApplicationsCommand({}))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(seen).toHaveLength(0);
      expect(awsError(err, 'kinesisanalyticsv2 ListApplications')).toMatchObject({
        code: 'UNAVAILABLE',
        exitCode: 69,
      });
    } finally {
      if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = saved.config;
      if (saved.creds === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      else process.env.AWS_SHARED_CREDENTIALS_FILE = saved.creds;
    }
  });

  it('maps a missing region to a configuration error (exit 78)', () => {
    expect(awsError(new Error('Region is missing'), 'cloudwatch GetMetricData')).toMatchObject({
      code: 'CONFIG',
      exitCode: 78,
    });
  });
});

describe('regions', () => {
  const cfg = { region: 'eu-west-1', endpoints: {}, maxAttempts: 3 };
  it.each([
    ['arn:aws:kafka:ap-south-1:123456789012:cluster/a/b', 'ap-south-1'],
    ['arn:aws-cn:kafka:cn-north-1:123456789012:cluster/a/b', 'cn-north-1'],
    ['not-an-arn', undefined],
  ])('region of %s is %s', (arn, region) => {
    expect(regionFromArn(arn)).toBe(region);
  });

  it('prefers the target region, then the ARN, then aws.region', () => {
    const arn = 'arn:aws:kafka:us-east-2:123456789012:cluster/a/b';
    expect(regionForMskCluster({ msk: { arn, region: 'us-west-1' } }, cfg)).toBe('us-west-1');
    expect(regionForMskCluster({ msk: { arn } }, cfg)).toBe('us-east-2');
    expect(regionForMskCluster({}, cfg)).toBe('eu-west-1');
    expect(regionForFlinkApp({ managed: { region: 'us-west-2' } }, cfg)).toBe('us-west-2');
    expect(regionForFlinkApp({ managed: {} }, cfg)).toBe('eu-west-1');
  });
});

describe('isThrottlingError', () => {
  it.each([
    [{ name: 'ThrottlingException' }, true],
    [{ name: 'TooManyRequestsException' }, true],
    [{ name: 'X', $metadata: { httpStatusCode: 429 } }, true],
    [{ name: 'X', $retryable: { throttling: true } }, true],
    [{ name: 'ResourceInUseException' }, false],
  ])('%j → %s', (err, yes) => {
    expect(isThrottlingError(err)).toBe(yes);
  });
});
