import { z } from 'zod';
import { Duration, SecretRef } from './common.js';

/** Healer settings. The healer owns this section; see docs/healer.md. */
export const HealerSection = z
  .strictObject({
    mode: z.enum(['dry-run', 'act']).default('dry-run').describe('dry-run records decisions only; act performs them.'),
    tickInterval: Duration.default('60s').describe('How often the daemon observes the fleet.'),
    journal: z.string().default('.streamctl/journal.db').describe('SQLite journal path.'),
  })
  .loose()
  .default({ mode: 'dry-run', tickInterval: '60s', journal: '.streamctl/journal.db' })
  .describe('The auto-healing daemon.');
export type HealerSection = z.infer<typeof HealerSection>;

export const NotificationsSection = z
  .strictObject({
    slack: z.strictObject({ webhook: SecretRef.describe('Slack incoming webhook URL.') }).optional(),
    pagerduty: z.strictObject({ routingKey: SecretRef.describe('PagerDuty Events API v2 routing key.') }).optional(),
    sns: z.strictObject({ topicArn: z.string().describe('SNS topic ARN for pages and alarms.') }).optional(),
    webhook: z.strictObject({ url: SecretRef.describe('Generic webhook URL (POST JSON).') }).optional(),
  })
  .default({})
  .describe('Where pages and incident updates go.');
export type NotificationsSection = z.infer<typeof NotificationsSection>;
