import type * as CloudWatchSdk from '@aws-sdk/client-cloudwatch';
import type * as LogsSdk from '@aws-sdk/client-cloudwatch-logs';
import type * as KafkaSdk from '@aws-sdk/client-kafka';
import { resolveSecret } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createAwsClients } from '../probes/aws-clients.js';
import { DirectTransport, flinkRestPort } from '../probes/flink-rest/index.js';
import { openKafkaAdmin } from '../probes/kafka-admin/index.js';
import { lazySdk } from '../probes/lazy-sdk.js';
import { createManagedFlinkProbe } from '../probes/managed-flink/index.js';
import type { DoctorDeps } from '../services/doctor.js';

// The SDK package loads at the first call, not when a command imports this file (lazy-sdk.ts).
const cloudWatch = lazySdk<typeof CloudWatchSdk>('@aws-sdk/client-cloudwatch');
const logs = lazySdk<typeof LogsSdk>('@aws-sdk/client-cloudwatch-logs');
const kafka = lazySdk<typeof KafkaSdk>('@aws-sdk/client-kafka');

/**
 * The real dry reads behind `streamctl doctor`, built at the command edge (the doctor service takes
 * them as ports). Each is the cheapest call proving access.
 */
export function realDoctorDeps(config: Config): DoctorDeps & { close(): void } {
  const aws = createAwsClients(config.aws);
  return {
    store: () => async () => {
      const { describeInspection, inspectStore } = await import('../store/inspect.js');
      return describeInspection(await inspectStore(config.healer));
    },
    kafka: (cluster) => async () => {
      const admin = await openKafkaAdmin(cluster, { retries: 1, connectionTimeoutMs: 5000 });
      try {
        const d = await admin.describeCluster();
        return `${d.brokers.length} broker(s), controller ${d.controllerId}`;
      } finally {
        await admin.close();
      }
    },
    credentials: (region) => async () => {
      const client = aws.cloudWatch(region);
      const creds = await client.config.credentials();
      return `access key ${creds.accessKeyId.slice(0, 4)}…${creds.expiration ? `, expires ${creds.expiration.toISOString()}` : ''}`;
    },
    msfList: (region) => async () =>
      `${(await createManagedFlinkProbe(aws.kinesisAnalytics(region), region ? { region } : {}).listApplications()).length} application(s)`,
    msfDescribe: (name, region) => async () => {
      const app = await createManagedFlinkProbe(
        aws.kinesisAnalytics(region),
        region ? { region } : {},
      ).describeApplication(name);
      return `${app.status}, ${app.runtime ?? 'runtime ?'}, version ${app.versionId ?? '?'}`;
    },
    cloudwatch: (region) => async () => {
      const end = new Date();
      const start = new Date(end.getTime() - 10 * 60_000);
      await aws.cloudWatch(region).send(
        new cloudWatch.GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          MetricDataQueries: [
            {
              Id: 'doctor',
              MetricStat: {
                Metric: { Namespace: 'AWS/KinesisAnalytics', MetricName: 'uptime' },
                Period: 300,
                Stat: 'Maximum',
              },
              ReturnData: true,
            },
          ],
        }),
      );
      return 'GetMetricData allowed';
    },
    logs: (region) => async () => {
      const r = await aws.logs(region).send(new logs.DescribeLogGroupsCommand({ limit: 1 }));
      return `DescribeLogGroups allowed (${r.logGroups?.length ?? 0} shown)`;
    },
    mskDescribe: (arn, region) => async () => {
      const r = await aws.kafka(region).send(new kafka.DescribeClusterV2Command({ ClusterArn: arn }));
      const info = r.ClusterInfo;
      return `${info?.ClusterType ?? '?'} cluster ${info?.ClusterName ?? ''}: ${info?.State ?? '?'}`;
    },
    flinkRest: (url, tokenRef) => async () => {
      // The same transport and port the commands use: bearer token for a proxy, typed, redacted errors.
      const token = tokenRef ? resolveSecret(tokenRef, 'flink.applications[].rest.token') : undefined;
      const o = await flinkRestPort(new DirectTransport(url, token, { timeoutMs: 10_000 })).overview();
      return `Flink ${o.flinkVersion}, ${o.taskManagers} TaskManager(s), ${o.jobsRunning} running job(s)`;
    },
    close: () => aws.destroy(),
  };
}
