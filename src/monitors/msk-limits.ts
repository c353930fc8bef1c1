/**
 * Partitions per broker (leaders + followers) that Amazon MSK recommends and allows, by broker size.
 *
 * Standard brokers: "Best practices for Standard brokers — Right-size your cluster: Number of
 * partitions per Standard broker" (MSK Developer Guide): kafka.t3.small 300/300; m5/m7g large and
 * xlarge 1000/1500; 2xlarge 2000/3000; 4xlarge and larger 4000/6000. Above the maximum MSK blocks
 * configuration updates and storage updates and some operations fail.
 * Express brokers: the MSK Express sizing guidance (AWS sizing script): large 1000/1500,
 * xlarge 1000/2000, 2xlarge 2500/4000, 4xlarge 6000/8000, 8xlarge 12000/16000,
 * 12xlarge 16000/24000, 16xlarge 20000/32000.
 */
export interface PartitionLimit {
  recommended: number;
  maximum: number;
  /** Where the figure comes from, for the report. */
  source: string;
}

const STANDARD_SOURCE = 'MSK best practices for Standard brokers: partitions per broker';
const EXPRESS_SOURCE = 'MSK Express broker sizing guidance: partitions per broker';

const STANDARD: Record<string, [number, number]> = {
  small: [300, 300],
  large: [1000, 1500],
  xlarge: [1000, 1500],
  '2xlarge': [2000, 3000],
  '4xlarge': [4000, 6000],
};

const EXPRESS: Record<string, [number, number]> = {
  large: [1000, 1500],
  xlarge: [1000, 2000],
  '2xlarge': [2500, 4000],
  '4xlarge': [6000, 8000],
  '8xlarge': [12000, 16000],
  '12xlarge': [16000, 24000],
  '16xlarge': [20000, 32000],
};

/** Broker deployment type as MSK reports it. */
export type BrokerType = 'standard' | 'express' | 'serverless' | 'self-managed';

/**
 * The partition limit for an MSK instance type such as `kafka.m5.large`, `kafka.m7g.4xlarge`,
 * `kafka.t3.small` or `express.m7g.2xlarge`; undefined when unknown (self-managed, serverless,
 * or a size this table does not know — then the check is UNKNOWN, never silently OK).
 */
export function partitionLimitFor(
  instanceType: string | undefined,
  brokerType: BrokerType = 'standard',
): PartitionLimit | undefined {
  if (!instanceType) return undefined;
  const m = /^(kafka|express)\.([a-z0-9]+)\.(\w+)$/i.exec(instanceType.trim());
  if (!m) return undefined;
  const family = m[1]!.toLowerCase();
  const size = m[3]!.toLowerCase();
  if (family === 'express' || brokerType === 'express') {
    const e = EXPRESS[size];
    return e ? { recommended: e[0], maximum: e[1], source: EXPRESS_SOURCE } : undefined;
  }
  if (size === 'small')
    return m[2]!.toLowerCase() === 't3'
      ? { recommended: 300, maximum: 300, source: STANDARD_SOURCE }
      : undefined;
  const exact = STANDARD[size];
  if (exact) return { recommended: exact[0], maximum: exact[1], source: STANDARD_SOURCE };
  // 8xlarge, 12xlarge, 16xlarge, 24xlarge: "4xlarge and larger".
  const n = /^(\d+)xlarge$/.exec(size);
  if (n && Number(n[1]) >= 4) return { recommended: 4000, maximum: 6000, source: STANDARD_SOURCE };
  return undefined;
}
