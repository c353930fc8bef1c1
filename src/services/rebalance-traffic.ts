/**
 * The I/O stage of the MSK Express throughput goal: bytes in and out per broker from CloudWatch
 * (AWS/Kafka BytesInPerSec and BytesOutPerSec, per `Broker ID`), averaged over the last hour, handed
 * to the pure planner as data (PlanOptions.brokerTraffic). A broker without datapoints is left
 * out and named: unknown, never zero.
 */
import type { Config } from '../config/schema.js';
import type { KafkaCluster } from '../config/sections/kafka.js';
import { fromUnknown } from '../core/errors.js';
import { regionForMskCluster } from '../probes/aws-clients.js';
import type { CloudWatchPort, MetricSeries } from '../probes/cloudwatch/port.js';
import { kafkaBrokerQuery } from '../probes/cloudwatch/queries.js';
import type { MskPort } from '../probes/msk/port.js';
import type { BrokerTraffic } from '../rebalancer/goals/throughput.js';
import { clusterConfig } from './kafka-observe.js';

/** A rebalance is planned on the traffic of the last hour (5-minute periods), not one sample. */
export const TRAFFIC_WINDOW_MS = 3_600_000;
const PERIOD_SEC = 300;

/** The AWS APIs the traffic is read through, per region (the command builds them: cli/live-ports.ts). */
export interface TrafficPorts {
  msk(region: string | undefined): Pick<MskPort, 'describeCluster'>;
  cloudWatch(region: string | undefined): Pick<CloudWatchPort, 'getMetricSeries'>;
}

/** Per-broker traffic and the brokers CloudWatch had no datapoint for. */
export interface TrafficReading {
  traffic: BrokerTraffic[];
  missing: number[];
}

/** Reads BytesInPerSec and BytesOutPerSec of every broker through the CloudWatch port. */
export async function readBrokerTraffic(
  cw: Pick<CloudWatchPort, 'getMetricSeries'>,
  mskName: string,
  brokerIds: number[],
  now: number,
): Promise<TrafficReading> {
  const queries = brokerIds.flatMap((id) => [
    kafkaBrokerQuery(mskName, mskName, id, 'BytesInPerSec'),
    kafkaBrokerQuery(mskName, mskName, id, 'BytesOutPerSec'),
  ]);
  const series = await cw.getMetricSeries(queries, {
    start: now - TRAFFIC_WINDOW_MS,
    end: now,
    periodSec: PERIOD_SEC,
  });
  const traffic: BrokerTraffic[] = [];
  const missing: number[] = [];
  brokerIds.forEach((id, i) => {
    const bytesIn = mean(series[2 * i]);
    const bytesOut = mean(series[2 * i + 1]);
    if (bytesIn === undefined || bytesOut === undefined) missing.push(id);
    else traffic.push({ id, bytesInPerSec: bytesIn, bytesOutPerSec: bytesOut });
  });
  return { traffic, missing };
}

function mean(s: MetricSeries | undefined): number | undefined {
  const values = (s?.points ?? []).map((p) => p.value).filter((v): v is number => v !== undefined);
  return values.length ? values.reduce((a, v) => a + v, 0) / values.length : undefined;
}

/** The MSK cluster's name (CloudWatch's `Cluster Name`), then its brokers' traffic. */
export async function mskBrokerTraffic(
  cluster: KafkaCluster,
  config: Config,
  ports: TrafficPorts,
  brokerIds: number[],
  now: number,
): Promise<TrafficReading> {
  const arn = cluster.msk!.arn;
  const region = regionForMskCluster(cluster, config.aws);
  try {
    const info = await ports.msk(region).describeCluster(arn);
    return await readBrokerTraffic(ports.cloudWatch(region), info.name, brokerIds, now);
  } catch (e) {
    throw fromUnknown(e, `CloudWatch traffic of MSK ${arn}`);
  }
}

/**
 * The traffic of a configured cluster's brokers for `kafka rebalance plan -c` (MSK only: a
 * self-managed cluster has no CloudWatch figures, and reads as all missing).
 */
export async function expressTraffic(
  config: Config,
  name: string,
  snapshot: { brokers: { id: number }[]; capturedAt: string },
  ports: TrafficPorts,
): Promise<TrafficReading> {
  const cluster = clusterConfig(config, name);
  const ids = snapshot.brokers.map((b) => b.id);
  if (!cluster.msk) return { traffic: [], missing: ids };
  return mskBrokerTraffic(cluster, config, ports, ids, Date.parse(snapshot.capturedAt));
}
