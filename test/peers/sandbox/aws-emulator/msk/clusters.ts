/**
 * MSK clusters registered through the control API, usually pointing at the test bed's real local
 * Kafka brokers (loopback ports), rendered in the kafka REST-JSON wire shape (lowerCamel members,
 * date-time strings) that @aws-sdk/client-kafka reads.
 */
import { randomUUID } from 'node:crypto';
import { err } from '../errors.js';
import { ACCOUNT, REGION } from '../msf/describe.js';

export type MskClusterKind = 'PROVISIONED' | 'EXPRESS' | 'SERVERLESS';

/** What a test registers. */
export interface MskClusterSpec {
  name: string;
  kind?: MskClusterKind;
  kafkaVersion?: string;
  /** e.g. kafka.m5.large (Standard) or express.m7g.large (Express). */
  instanceType?: string;
  /** EBS volume size per broker, GiB (Standard brokers only). */
  volumeSizeGiB?: number;
  state?:
    | 'ACTIVE'
    | 'CREATING'
    | 'UPDATING'
    | 'DELETING'
    | 'FAILED'
    | 'HEALING'
    | 'MAINTENANCE'
    | 'REBOOTING_BROKER';
  brokers: { id: number; host?: string; port: number; rack?: string }[];
  /** Host:port lists per client auth; PLAINTEXT defaults to the brokers' ports. */
  bootstrap?: { plaintext?: string; tls?: string; saslScram?: string; saslIam?: string };
  tags?: Record<string, string>;
  rebalancing?: 'ACTIVE' | 'PAUSED';
}

export interface MskCluster {
  arn: string;
  spec: MskClusterSpec;
  createdMs: number;
  currentVersion: string;
  versionSeq: number;
  rebalancing?: 'ACTIVE' | 'PAUSED';
}

export class MskClusters {
  readonly byArn = new Map<string, MskCluster>();

  register(spec: MskClusterSpec, nowMs: number): MskCluster {
    if (!spec.name || !/^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/.test(spec.name))
      throw new Error(`MSK cluster name ${spec.name} is not valid`);
    if ([...this.byArn.values()].some((c) => c.spec.name === spec.name))
      throw new Error(`MSK cluster ${spec.name} is already registered`);
    const arn = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/${spec.name}/${randomUUID()}-${(this.byArn.size % 25) + 1}`;
    const kind = spec.kind ?? 'PROVISIONED';
    const c: MskCluster = {
      arn,
      spec: { ...spec, kind },
      createdMs: nowMs,
      currentVersion: 'K3AEGXETSR30VB',
      versionSeq: 0,
      ...(kind === 'EXPRESS'
        ? { rebalancing: spec.rebalancing ?? 'ACTIVE' }
        : spec.rebalancing
          ? { rebalancing: spec.rebalancing }
          : {}),
    };
    this.byArn.set(arn, c);
    return c;
  }

  get(arn: string): MskCluster {
    const c = this.byArn.get(arn);
    if (!c) throw err.kafkaNotFound(`The specified cluster ARN ${arn} was not found`);
    return c;
  }

  /** UpdateRebalancing: optimistic on CurrentVersion, as every MSK update is. */
  updateRebalancing(
    arn: string,
    currentVersion: unknown,
    status: unknown,
  ): { clusterArn: string; clusterOperationArn: string } {
    const c = this.get(arn);
    if (currentVersion !== c.currentVersion)
      throw err.kafkaBadRequest(
        `The cluster version ${String(currentVersion)} does not match the current version ${c.currentVersion}`,
      );
    if (status !== 'ACTIVE' && status !== 'PAUSED')
      throw err.kafkaBadRequest('rebalancing.status must be ACTIVE or PAUSED');
    if (c.spec.kind === 'SERVERLESS')
      throw err.kafkaBadRequest('Rebalancing is not supported for serverless clusters');
    c.rebalancing = status;
    c.versionSeq += 1;
    c.currentVersion = `K${(1000 + c.versionSeq).toString(36).toUpperCase()}VB${c.versionSeq}`;
    return {
      clusterArn: arn,
      clusterOperationArn: `${arn.replace(':cluster/', ':cluster-operation/')}/${randomUUID()}`,
    };
  }
}

/** The Cluster structure of ListClustersV2 / DescribeClusterV2 (wire names). */
export function clusterWire(c: MskCluster): Record<string, unknown> {
  const s = c.spec;
  const base = {
    clusterArn: c.arn,
    clusterName: s.name,
    clusterType: s.kind === 'SERVERLESS' ? 'SERVERLESS' : 'PROVISIONED',
    creationTime: new Date(c.createdMs).toISOString(),
    currentVersion: c.currentVersion,
    state: s.state ?? 'ACTIVE',
    tags: { ...(s.tags ?? {}) },
  };
  if (s.kind === 'SERVERLESS') {
    return {
      ...base,
      serverless: {
        vpcConfigs: [{ subnetIds: ['subnet-local-a'], securityGroupIds: ['sg-local'] }],
        clientAuthentication: { sasl: { iam: { enabled: true } } },
      },
    };
  }
  const express = s.kind === 'EXPRESS';
  const racks = [...new Set(s.brokers.map((b) => b.rack).filter((r): r is string => !!r))];
  return {
    ...base,
    provisioned: {
      brokerNodeGroupInfo: {
        brokerAZDistribution: 'DEFAULT',
        clientSubnets: racks.length ? racks.map((r) => `subnet-${r}`) : ['subnet-local-a'],
        instanceType: s.instanceType ?? (express ? 'express.m7g.large' : 'kafka.m5.large'),
        securityGroups: ['sg-local'],
        ...(express ? {} : { storageInfo: { ebsStorageInfo: { volumeSize: s.volumeSizeGiB ?? 1000 } } }),
        ...(racks.length ? { zoneIds: racks } : {}),
      },
      currentBrokerSoftwareInfo: { kafkaVersion: s.kafkaVersion ?? '3.9.x' },
      numberOfBrokerNodes: s.brokers.length,
      enhancedMonitoring: 'PER_BROKER',
      clientAuthentication: {
        unauthenticated: { enabled: true },
        sasl: { iam: { enabled: !!s.bootstrap?.saslIam }, scram: { enabled: !!s.bootstrap?.saslScram } },
        tls: { enabled: !!s.bootstrap?.tls },
      },
      encryptionInfo: {
        encryptionInTransit: {
          clientBroker: s.bootstrap?.tls ? 'TLS_PLAINTEXT' : 'PLAINTEXT',
          inCluster: false,
        },
      },
      storageMode: 'LOCAL',
      ...(c.rebalancing ? { rebalancing: { status: c.rebalancing } } : {}),
    },
  };
}

/** ListNodes' NodeInfo per broker. */
export function nodesWire(c: MskCluster): Record<string, unknown>[] {
  return c.spec.brokers.map((b) => ({
    addedToClusterTime: new Date(c.createdMs).toISOString(),
    instanceType: (
      c.spec.instanceType ?? (c.spec.kind === 'EXPRESS' ? 'express.m7g.large' : 'kafka.m5.large')
    ).replace(/^kafka\./, ''),
    nodeARN: `${c.arn.replace(':cluster/', ':broker/')}/${b.id}`,
    nodeType: 'BROKER',
    brokerNodeInfo: {
      attachedENIId: `eni-local-${b.id}`,
      brokerId: b.id,
      clientSubnet: b.rack ? `subnet-${b.rack}` : 'subnet-local-a',
      clientVpcIpAddress: b.host ?? '127.0.0.1',
      currentBrokerSoftwareInfo: { kafkaVersion: c.spec.kafkaVersion ?? '3.9.x' },
      endpoints: [b.host ?? '127.0.0.1'],
    },
  }));
}

/** GetBootstrapBrokers: host:port lists pointing at the real local brokers. */
export function bootstrapWire(c: MskCluster): Record<string, unknown> {
  const s = c.spec;
  const plaintext =
    s.bootstrap?.plaintext ?? s.brokers.map((b) => `${b.host ?? '127.0.0.1'}:${b.port}`).join(',');
  if (s.kind === 'SERVERLESS') return { bootstrapBrokerStringSaslIam: s.bootstrap?.saslIam ?? plaintext };
  return {
    bootstrapBrokerString: plaintext,
    ...(s.bootstrap?.tls ? { bootstrapBrokerStringTls: s.bootstrap.tls } : {}),
    ...(s.bootstrap?.saslScram ? { bootstrapBrokerStringSaslScram: s.bootstrap.saslScram } : {}),
    ...(s.bootstrap?.saslIam ? { bootstrapBrokerStringSaslIam: s.bootstrap.saslIam } : {}),
  };
}
