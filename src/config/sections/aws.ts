import { z } from 'zod';

/** AWS defaults and endpoint overrides (the overrides point the real SDK clients at an emulator). */
export const AwsSection = z
  .strictObject({
    region: z
      .string()
      .optional()
      .describe('Default AWS region (else the SDK default chain: AWS_REGION, profile).'),
    profile: z
      .string()
      .optional()
      .describe('Named profile from ~/.aws/config (else the default credential chain).'),
    credentialsFile: z
      .string()
      .optional()
      .describe(
        'Shared credentials file for `profile` (default ~/.aws/credentials; the demo sandbox uses its own).',
      ),
    endpoints: z
      .strictObject({
        kinesisanalyticsv2: z
          .url()
          .optional()
          .describe('Endpoint override for Managed Service for Apache Flink.'),
        cloudwatch: z.url().optional().describe('Endpoint override for CloudWatch metrics.'),
        logs: z.url().optional().describe('Endpoint override for CloudWatch Logs.'),
        kafka: z.url().optional().describe('Endpoint override for Amazon MSK.'),
        sns: z.url().optional().describe('Endpoint override for SNS.'),
      })
      .default({})
      .describe('Per-service endpoint overrides; leave empty for the real AWS endpoints.'),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(3)
      .describe('SDK retry attempts for throttled or failed calls.'),
  })
  .default({ endpoints: {}, maxAttempts: 3 })
  .describe('AWS defaults shared by every AWS target.');
export type AwsSection = z.infer<typeof AwsSection>;
