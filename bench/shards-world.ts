/**
 * The simulated fleet's CloudWatch for the shards bench: an in-process stand-in for the SDK's
 * CloudWatchClient behind the REAL CloudWatch probe (so the daemon's GetMetricData batching of ≤ 500
 * queries per call is what runs and what is counted). Every application reports its restart
 * counter every minute: flat for most, growing by 3 a minute (a restart loop) for one in 200.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';

const MIN = 60_000;

/** Whether the simulated application loops (one in 200, spread over every shard). */
export function loops(app: string): boolean {
  return Number(app.slice(-5)) % 200 === 7;
}

interface Query {
  Id: string;
  MetricStat: { Metric: { Dimensions?: Array<{ Name: string; Value: string }> } };
}

/** A CloudWatchClient that answers GetMetricData only, counting the calls. */
export function countingCloudWatchClient(t0: number): { client: CloudWatchClient; readonly calls: number } {
  const state = { calls: 0 };
  const send = async (cmd: { input: { MetricDataQueries: Query[]; StartTime: Date; EndTime: Date } }) => {
    state.calls++;
    const { MetricDataQueries, StartTime, EndTime } = cmd.input;
    if (MetricDataQueries.length > 500) throw new Error('GetMetricData: more than 500 queries in one call');
    const stamps: Date[] = [];
    for (let t = Math.ceil(StartTime.getTime() / MIN) * MIN; t < EndTime.getTime() - MIN; t += MIN)
      stamps.push(new Date(t));
    return {
      MetricDataResults: MetricDataQueries.map((q) => {
        const app = q.MetricStat.Metric.Dimensions?.find((d) => d.Name === 'Application')?.Value ?? '';
        const grow = loops(app);
        return {
          Id: q.Id,
          StatusCode: 'Complete',
          Timestamps: stamps,
          Values: stamps.map((d) => (grow ? Math.max(0, Math.floor((d.getTime() - t0) / MIN) * 3 + 30) : 0)),
        };
      }),
    };
  };
  return {
    client: { send } as unknown as CloudWatchClient,
    get calls() {
      return state.calls;
    },
  };
}
