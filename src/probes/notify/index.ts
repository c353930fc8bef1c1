import { resolveSecret } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { redact, redactString } from '../../core/redact.js';
import type { HealerNotification } from '../../healer/act/port.js';
import { postJson } from './http.js';
import { notificationBody, notificationTitle } from './message.js';
import type { SnsPublisher } from './sns.js';

/**
 * The healer's notification channels: Slack incoming webhook, PagerDuty Events API v2 (one
 * dedup_key per incident: trigger, then the same key updated and resolved — one incident per
 * loop, not a page per tick), SNS, and a generic JSON webhook. Webhook URLs and routing keys are
 * secrets: resolved from env/files, registered for redaction, never logged.
 * Delivery failures never throw into the healer: they are reported to `onError`.
 */
export interface Notifier {
  notify(n: HealerNotification): Promise<Array<{ channel: string; ok: boolean; error?: string }>>;
  channels: string[];
}

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export interface NotifierDeps {
  sns?: SnsPublisher;
  /** Override for tests (a loopback server). */
  pagerDutyUrl?: string;
  onError?: (channel: string, message: string) => void;
}

export function createNotifier(cfg: Config['notifications'], deps: NotifierDeps = {}): Notifier {
  const senders: Array<[string, (n: HealerNotification) => Promise<void>]> = [];
  if (cfg.slack) {
    const url = resolveSecret(cfg.slack.webhook, 'notifications.slack.webhook');
    senders.push(['slack', (n) => postJson(url, slackPayload(n), { what: 'Slack webhook' })]);
  }
  if (cfg.pagerduty) {
    const key = resolveSecret(cfg.pagerduty.routingKey, 'notifications.pagerduty.routingKey');
    senders.push([
      'pagerduty',
      (n) =>
        postJson(deps.pagerDutyUrl ?? PAGERDUTY_EVENTS_URL, pagerDutyEvent(n, key), {
          what: 'PagerDuty Events API',
        }),
    ]);
  }
  if (cfg.sns && deps.sns) {
    const topic = cfg.sns.topicArn;
    const sns = deps.sns;
    senders.push([
      'sns',
      async (n) => {
        await sns.publish(topic, notificationTitle(n), notificationBody(n));
      },
    ]);
  }
  if (cfg.webhook) {
    const url = resolveSecret(cfg.webhook.url, 'notifications.webhook.url');
    senders.push([
      'webhook',
      (n) => postJson(url, { source: 'streamctl', ...n, text: notificationBody(n) }, { what: 'webhook' }),
    ]);
  }
  return {
    channels: senders.map(([c]) => c),
    async notify(notification) {
      // What a notification quotes (evidence, exception texts) leaves the process: redact it once
      // here; the channel's own credential (routing key) is added after, by the payload builder.
      const n = redact(notification);
      return Promise.all(
        senders.map(async ([channel, send]) => {
          try {
            await send(n);
            return { channel, ok: true };
          } catch (e) {
            const error = redactString((e as Error).message);
            deps.onError?.(channel, error);
            return { channel, ok: false, error };
          }
        }),
      );
    },
  };
}

/** Slack incoming-webhook payload: a one-line text (shown in notifications) plus the body. */
export function slackPayload(n: HealerNotification): { text: string; blocks: unknown[] } {
  return {
    text: notificationTitle(n),
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `\`\`\`${notificationBody(n).slice(0, 2900)}\`\`\`` },
      },
    ],
  };
}

/** PagerDuty Events API v2: trigger/resolve with the incident key as dedup_key. */
export function pagerDutyEvent(n: HealerNotification, routingKey: string): Record<string, unknown> {
  const base = { routing_key: routingKey, dedup_key: n.incidentKey };
  if (n.event === 'resolve') return { ...base, event_action: 'resolve' };
  return {
    ...base,
    // An update re-triggers the same dedup_key: PagerDuty appends it to the open incident.
    event_action: 'trigger',
    payload: {
      summary: notificationTitle(n).slice(0, 1024),
      source: `streamctl/${n.app}`,
      severity: n.severity === 'critical' ? 'critical' : n.severity === 'warning' ? 'warning' : 'info',
      component: n.app,
      group: 'flink',
      class: String(n.reason),
      custom_details: { body: notificationBody(n), diagnosis: n.diagnosis ?? null },
    },
  };
}
