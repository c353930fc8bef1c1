import { z } from 'zod';
import { AwsSection } from './sections/aws.js';
import { FlinkSection } from './sections/flink.js';
import { HealerSection, NotificationsSection } from './sections/healer.js';
import { KafkaSection } from './sections/kafka.js';

/**
 * streamctl.yaml. Every key is declared once, in src/config/sections/, with its default and its
 * description (`streamctl config init` and docs/config.md are generated from these).
 */
export const ConfigSchema = z
  .strictObject({
    version: z.literal(1).default(1).describe('Config format version.'),
    aws: AwsSection,
    kafka: KafkaSection,
    flink: FlinkSection,
    healer: HealerSection,
    notifications: NotificationsSection,
  })
  .superRefine((cfg, ctx) => {
    const seen = new Map<string, number>();
    cfg.kafka.clusters.forEach((c, i) => {
      if (seen.has(c.name))
        ctx.addIssue({
          code: 'custom',
          path: ['kafka', 'clusters', i, 'name'],
          message: `duplicate cluster name "${c.name}"`,
        });
      seen.set(c.name, i);
    });
    const apps = new Map<string, number>();
    cfg.flink.applications.forEach((a, i) => {
      if (apps.has(a.name))
        ctx.addIssue({
          code: 'custom',
          path: ['flink', 'applications', i, 'name'],
          message: `duplicate application name "${a.name}"`,
        });
      apps.set(a.name, i);
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
