import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeClusterV2Command } from '@aws-sdk/client-kafka';
import type { Config } from '../config/schema.js';
import { unavailable } from '../core/errors.js';
import { createAwsClients } from '../probes/aws-clients.js';
import { openKafkaAdmin } from '../probes/kafka-admin/index.js';
import { createManagedFlinkProbe } from '../probes/managed-flink/index.js';
import type { DoctorDeps } from './doctor.js';

/** The real dry reads behind `streamctl doctor`. Each is the cheapest call proving access. */
export function realDoctorDeps(config: Config): DoctorDeps & { close(): void } {
  const aws = createAwsClients(config.aws);
  return {
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
    msfList: (region) => async () => `${(await createManagedFlinkProbe(aws.kinesisAnalytics(region), region ? { region } : {}).listApplications()).length} application(s)`,
    msfDescribe: (name, region) => async () => {
      const app = await createManagedFlinkProbe(aws.kinesisAnalytics(region), region ? { region } : {}).describeApplication(name);
      return `${app.status}, ${app.runtime ?? 'runtime ?'}, version ${app.versionId ?? '?'}`;
    },
    cloudwatch: (region) => async () => {
      const end = new Date();
      const start = new Date(end.getTime() - 10 * 60_000);
      await aws.cloudWatch(region).send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          MetricDataQueries: [{ Id: 'doctor', MetricStat: { Metric: { Namespace: 'AWS/KinesisAnalytics', MetricName: 'uptime' }, Period: 300, Stat: 'Maximum' }, ReturnData: true }],
        }),
      );
      return 'GetMetricData allowed';
    },
    logs: (region) => async () => {
      const r = await aws.logs(region).send(new DescribeLogGroupsCommand({ limit: 1 }));
      return `DescribeLogGroups allowed (${r.logGroups?.length ?? 0} shown)`;
    },
    mskDescribe: (arn, region) => async () => {
      const r = await aws.kafka(region).send(new DescribeClusterV2Command({ ClusterArn: arn }));
      const info = r.ClusterInfo;
      return `${info?.ClusterType ?? '?'} cluster ${info?.ClusterName ?? ''}: ${info?.State ?? '?'}`;
    },
    flinkRest: (url) => async () => {
      const res = await fetch(new URL('overview', url.endsWith('/') ? url : `${url}/`), { signal: AbortSignal.timeout(10_000) }).catch((e: unknown) => {
        throw unavailable(`Flink REST ${url}: ${(e as Error).cause ? String((e as { cause: unknown }).cause) : (e as Error).message}`);
      });
      if (!res.ok) throw unavailable(`Flink REST ${url}/overview answered HTTP ${res.status}`);
      const body = (await res.json()) as { 'flink-version'?: string; taskmanagers?: number; 'jobs-running'?: number };
      return `Flink ${body['flink-version'] ?? '?'}, ${body.taskmanagers ?? '?'} TaskManager(s), ${body['jobs-running'] ?? '?'} running job(s)`;
    },
    close: () => aws.destroy(),
  };
}
