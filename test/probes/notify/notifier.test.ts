import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load.js';
import { clearRegisteredSecrets } from '../../../src/core/redact.js';
import type { HealerNotification } from '../../../src/healer/act/port.js';
import { createNotifier } from '../../../src/probes/notify/index.js';
import type { Json } from '../../helpers/json.js';

/** A strict loopback receiver standing in for Slack, PagerDuty and a generic webhook. */
describe('healer notifier', () => {
  let server: Server;
  let base: string;
  const received: Array<{ path: string; body: Json }> = [];
  let failNext = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(data) });
        if (failNext > 0) {
          failNext--;
          res.writeHead(500).end('boom');
        } else res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    process.env.TEST_SLACK_URL = `${base}/slack/T000/B000/SECRETPATH`;
    process.env.TEST_PD_KEY = 'R0UTINGKEY0123456789';
    process.env.TEST_HOOK_URL = `${base}/hook?token=abc123`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  afterEach(() => {
    received.length = 0;
    clearRegisteredSecrets();
  });

  const cfg = () =>
    parseConfigText(
      'notifications:\n  slack: { webhook: { env: TEST_SLACK_URL } }\n  pagerduty: { routingKey: { env: TEST_PD_KEY } }\n  webhook: { url: { env: TEST_HOOK_URL } }\n',
      'n.yaml',
    ).notifications;
  const n = (event: HealerNotification['event']): HealerNotification => ({
    incidentKey: 'enricher/restart-loop/2026-11-22T00:10:00.000Z',
    app: 'enricher',
    event,
    severity: 'critical',
    reason: 'resolved',
    summary: 'fail-and-restart loop; rolled back to version 6',
    diagnosis: {
      summary: 'NPE in user code after UpdateApplication',
      evidence: ['12 restarts in 4 min'],
      verdict: 'user',
    },
  });

  it('one incident per loop: PagerDuty trigger then resolve with the same dedup_key', async () => {
    const notifier = createNotifier(cfg(), { pagerDutyUrl: `${base}/pd` });
    expect(notifier.channels).toEqual(['slack', 'pagerduty', 'webhook']);
    await notifier.notify(n('trigger'));
    await notifier.notify(n('resolve'));
    const pd = received.filter((r) => r.path === '/pd').map((r) => r.body);
    expect(pd[0]).toMatchObject({
      routing_key: 'R0UTINGKEY0123456789',
      event_action: 'trigger',
      dedup_key: n('trigger').incidentKey,
      payload: { severity: 'critical', source: 'streamctl/enricher' },
    });
    expect(pd[1]).toEqual({
      routing_key: 'R0UTINGKEY0123456789',
      event_action: 'resolve',
      dedup_key: n('trigger').incidentKey,
    });
    const slack = received.find((r) => r.path.startsWith('/slack'))!.body;
    expect(slack.text).toBe('[streamctl CRITICAL] enricher: fail-and-restart loop; rolled back to version 6');
  });

  it('never sends a credential found in the diagnosis to Slack, PagerDuty or a webhook', async () => {
    // Arrange: evidence quoting a presigned dashboard URL and a JDBC URL with a password.
    const notifier = createNotifier(cfg(), { pagerDutyUrl: `${base}/pd` });
    const leaky = n('trigger');
    leaky.diagnosis = {
      ...leaky.diagnosis!,
      evidence: [
        'GET https://abc.kinesisanalytics.us-east-1.amazonaws.com/flinkdashboard/jobs?authToken=PRESIGNED-TOKEN-42 → 500',
        'jdbc:postgresql://db/orders?user=app&password=DB-PASSWORD-7',
      ],
    };

    // Act
    await notifier.notify(leaky);

    // Assert
    expect(received).toHaveLength(3);
    const sent = JSON.stringify(received.map((r) => r.body));
    expect(sent).not.toContain('PRESIGNED-TOKEN-42');
    expect(sent).not.toContain('DB-PASSWORD-7');
  });

  it('a failed channel is reported, never thrown, and its error is redacted', async () => {
    failNext = 1;
    const errors: string[] = [];
    const notifier = createNotifier(cfg(), {
      pagerDutyUrl: `${base}/pd`,
      onError: (c, m) => errors.push(`${c}: ${m}`),
    });
    const results = await notifier.notify(n('trigger'));
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(errors.join(' ')).not.toContain('SECRETPATH');
    expect(errors.join(' ')).not.toContain('R0UTINGKEY');
  });
});
