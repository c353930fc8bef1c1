import { z } from 'zod';
import { Duration, SecretRef } from './common.js';

export const FlinkApplication = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a name of letters, digits, ".", "_" or "-"')
      .describe('Name used in commands.'),
    managed: z
      .strictObject({
        applicationName: z.string().min(1).describe('The MSF ApplicationName.'),
        region: z.string().optional().describe('Region (default: aws.region).'),
      })
      .optional()
      .describe('Amazon Managed Service for Apache Flink application.'),
    rest: z
      .strictObject({
        url: z.url().describe('Base URL of the Flink REST API (JobManager), e.g. http://jobmanager:8081.'),
        jobName: z.string().optional().describe('Job name to pick when the cluster runs several jobs.'),
        token: SecretRef.optional().describe('Bearer token for a REST proxy that needs one.'),
        savepointDir: z.string().optional().describe('Target directory for stop-with-savepoint.'),
      })
      .optional()
      .describe('Self-managed Flink reached over its REST API.'),
    healing: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe('Allow the healer to act on this application (tag streamctl:healing=off also opts out).'),
        checkpointStallAfter: Duration.optional().describe(
          "Page when no checkpoint has completed for this long (default: healer.checkpointStallAfter, or max(healer.checkpointStallMin, 10 × this application's checkpoint interval)).",
        ),
      })
      .default({ enabled: true })
      .describe('Per-application healer settings.'),
  })
  .refine((a) => (a.managed === undefined) !== (a.rest === undefined), {
    message: 'exactly one of managed (MSF) or rest (self-managed Flink) is required',
    path: ['managed'],
  });
export type FlinkApplication = z.infer<typeof FlinkApplication>;

export const FlinkSection = z
  .strictObject({
    applications: z.array(FlinkApplication).default([]).describe('Flink applications streamctl manages.'),
    discoverManaged: z
      .boolean()
      .default(false)
      .describe('Also list every MSF application in the default region.'),
  })
  .default({ applications: [], discoverManaged: false })
  .describe('Flink applications.');
export type FlinkSection = z.infer<typeof FlinkSection>;
