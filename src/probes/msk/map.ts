import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import type { MskAuthType, MskBroker, MskClusterInfo } from './port.js';
import type { RawBootstrapBrokers, RawCluster, RawNode } from './schema.js';

/** Pure mapping of validated MSK payloads to streamctl's types. */

/** Express brokers are provisioned clusters with `express.*` instance types. */
export function clusterType(raw: RawCluster): MskClusterInfo['type'] {
  if (raw.ClusterType === 'SERVERLESS' || (raw.Serverless && !raw.Provisioned)) return 'serverless';
  return raw.Provisioned?.BrokerNodeGroupInfo.InstanceType.startsWith('express.') ? 'express' : 'standard';
}

export function toClusterInfo(raw: RawCluster): MskClusterInfo {
  const p = raw.Provisioned;
  const type = clusterType(raw);
  const auth =
    type === 'serverless'
      ? {
          unauthenticated: false,
          tls: false,
          scram: false,
          iam: raw.Serverless?.ClientAuthentication?.Sasl?.Iam?.Enabled ?? true,
        }
      : {
          unauthenticated: p?.ClientAuthentication?.Unauthenticated?.Enabled ?? false,
          tls: p?.ClientAuthentication?.Tls?.Enabled ?? false,
          scram: p?.ClientAuthentication?.Sasl?.Scram?.Enabled ?? false,
          iam: p?.ClientAuthentication?.Sasl?.Iam?.Enabled ?? false,
        };
  const info: MskClusterInfo = {
    arn: raw.ClusterArn,
    name: raw.ClusterName,
    type,
    state: raw.State,
    currentVersion: raw.CurrentVersion,
    auth,
    tags: { ...(raw.Tags ?? {}) },
  };
  const kafkaVersion = p?.CurrentBrokerSoftwareInfo?.KafkaVersion;
  if (kafkaVersion !== undefined) info.kafkaVersion = kafkaVersion;
  if (p) {
    info.instanceType = p.BrokerNodeGroupInfo.InstanceType;
    info.brokerCount = p.NumberOfBrokerNodes;
    const gib = p.BrokerNodeGroupInfo.StorageInfo?.EbsStorageInfo?.VolumeSize;
    if (type === 'standard' && gib !== undefined) info.storagePerBrokerGiB = gib;
    if (p.Rebalancing?.Status !== undefined) info.intelligentRebalancing = p.Rebalancing.Status;
    if (p.BrokerNodeGroupInfo.ZoneIds) info.zoneIds = [...p.BrokerNodeGroupInfo.ZoneIds];
    const pub = p.BrokerNodeGroupInfo.ConnectivityInfo?.PublicAccess?.Type;
    if (pub !== undefined) info.publicAccess = pub;
  }
  if (raw.ActiveOperationArn !== undefined) info.activeOperationArn = raw.ActiveOperationArn;
  return info;
}

/** ListNodes rows → brokers, sorted by id (controller and ZooKeeper nodes are not brokers). */
export function toBrokers(nodes: RawNode[]): MskBroker[] {
  const out: MskBroker[] = [];
  for (const n of nodes) {
    const b = n.BrokerNodeInfo;
    if (!b) continue;
    const broker: MskBroker = { brokerId: b.BrokerId, endpoints: [...b.Endpoints] };
    if (n.InstanceType !== undefined) broker.instanceType = n.InstanceType;
    if (b.ClientSubnet !== undefined) broker.clientSubnet = b.ClientSubnet;
    if (b.ClientVpcIpAddress !== undefined) broker.clientVpcIp = b.ClientVpcIpAddress;
    if (n.NodeARN !== undefined) broker.nodeArn = n.NodeARN;
    if (b.CurrentBrokerSoftwareInfo?.KafkaVersion !== undefined)
      broker.kafkaVersion = b.CurrentBrokerSoftwareInfo.KafkaVersion;
    out.push(broker);
  }
  return out.sort((a, b) => a.brokerId - b.brokerId);
}

const FIELD: Record<
  MskAuthType,
  { private: keyof RawBootstrapBrokers; public?: keyof RawBootstrapBrokers; listener: string }
> = {
  none: { private: 'BootstrapBrokerString', listener: 'plaintext (unauthenticated)' },
  tls: { private: 'BootstrapBrokerStringTls', public: 'BootstrapBrokerStringPublicTls', listener: 'TLS' },
  scram: {
    private: 'BootstrapBrokerStringSaslScram',
    public: 'BootstrapBrokerStringPublicSaslScram',
    listener: 'SASL/SCRAM',
  },
  'msk-iam': {
    private: 'BootstrapBrokerStringSaslIam',
    public: 'BootstrapBrokerStringPublicSaslIam',
    listener: 'IAM',
  },
};

/**
 * The bootstrap servers for an auth type. A missing string means that listener is not enabled on
 * the cluster: a configuration mismatch, reported as such (exit 78), not an empty list.
 */
export function pickBootstrap(
  raw: RawBootstrapBrokers,
  clusterArn: string,
  auth: MskAuthType,
  pub = false,
): string[] {
  const f = FIELD[auth];
  if (pub && !f.public) {
    throw new StreamctlError(
      'LISTENER_NOT_ENABLED',
      `MSK has no public ${f.listener} listener (public access needs TLS, SCRAM or IAM): ${clusterArn}`,
      {
        exitCode: Sysexit.CONFIG,
        hint: 'Use auth tls, scram or msk-iam for public access.',
      },
    );
  }
  const field = pub ? (f.public as keyof RawBootstrapBrokers) : f.private;
  const value = raw[field];
  const servers =
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  if (servers.length === 0) {
    throw new StreamctlError(
      'LISTENER_NOT_ENABLED',
      `${clusterArn}: the ${pub ? 'public ' : ''}${f.listener} listener is not enabled (GetBootstrapBrokers has no ${field})`,
      {
        exitCode: Sysexit.CONFIG,
        hint: `Enable ${f.listener} client authentication on the cluster, or set kafka.clusters[].auth.type to a listener it has.`,
      },
    );
  }
  return servers;
}
