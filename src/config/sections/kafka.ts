import { z } from 'zod';
import { SecretRef } from './common.js';

const HostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port');

export const KafkaAuth = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('none') }),
    z.strictObject({
      type: z.literal('tls'),
      ca: SecretRef.optional().describe('CA bundle (PEM) to trust; default: the system trust store.'),
      cert: SecretRef.optional().describe('Client certificate (PEM) for mutual TLS.'),
      key: SecretRef.optional().describe('Client private key (PEM) for mutual TLS.'),
    }),
    z.strictObject({
      type: z.literal('scram'),
      mechanism: z
        .enum(['scram-sha-256', 'scram-sha-512'])
        .default('scram-sha-512')
        .describe('SCRAM mechanism.'),
      username: z.string().min(1).describe('SASL username.'),
      password: SecretRef.describe('SASL password.'),
      tls: z.boolean().default(true).describe('Use TLS (MSK SCRAM listeners are TLS only).'),
    }),
    z.strictObject({
      type: z.literal('msk-iam'),
      region: z.string().optional().describe('Region for the MSK IAM signer (default: the cluster region).'),
    }),
  ])
  .default({ type: 'none' })
  .describe('How to authenticate to the brokers: none, tls, scram or msk-iam.');
export type KafkaAuth = z.infer<typeof KafkaAuth>;

export const KafkaCluster = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a name of letters, digits, ".", "_" or "-"')
      .describe('Name used with -c.'),
    bootstrap: z
      .array(HostPort)
      .min(1)
      .optional()
      .describe('Bootstrap servers (self-managed, or to override MSK discovery).'),
    msk: z
      .strictObject({
        arn: z
          .string()
          .regex(/^arn:aws[a-z-]*:kafka:[a-z0-9-]+:\d{12}:cluster\/.+/, 'an MSK cluster ARN')
          .describe('MSK cluster ARN.'),
        region: z.string().optional().describe('Region (default: from the ARN).'),
      })
      .optional()
      .describe('Amazon MSK cluster: discovery, broker sizes and CloudWatch metrics.'),
    auth: KafkaAuth,
    diskWarnPercent: z
      .number()
      .min(1)
      .max(100)
      .default(60)
      .describe('Disk use that raises WARNING (MSK alerts at 60%).'),
    diskCritPercent: z
      .number()
      .min(1)
      .max(100)
      .default(80)
      .describe('Disk use that raises CRITICAL (MSK alerts at 80%).'),
    brokerCapacityBytes: z
      .number()
      .positive()
      .optional()
      .describe('Per-broker disk capacity when the brokers do not report it.'),
    instanceType: z
      .string()
      .optional()
      .describe('Broker instance type (e.g. kafka.m5.large) when MSK discovery is not used.'),
  })
  .refine((c) => c.bootstrap !== undefined || c.msk !== undefined, {
    message: 'either bootstrap (host:port list) or msk.arn is required',
    path: ['bootstrap'],
  })
  .refine((c) => c.diskWarnPercent < c.diskCritPercent, {
    message: 'diskWarnPercent must be below diskCritPercent',
    path: ['diskWarnPercent'],
  });
export type KafkaCluster = z.infer<typeof KafkaCluster>;

export const KafkaSection = z
  .strictObject({
    clusters: z.array(KafkaCluster).default([]).describe('Kafka clusters streamctl manages.'),
    discoverMsk: z
      .boolean()
      .default(false)
      .describe('Also list MSK clusters discovered in the default region.'),
  })
  .default({ clusters: [], discoverMsk: false })
  .describe('Kafka clusters.');
export type KafkaSection = z.infer<typeof KafkaSection>;
