/**
 * The port to Amazon MSK (@aws-sdk/client-kafka, REST-JSON) for one region.
 * Adapters: index.ts (the SDK), fake.ts (in memory).
 */
export interface MskPort {
  /** ListClustersV2, all pages. */
  listClusters(filter?: {
    nameContains?: string;
    type?: 'PROVISIONED' | 'SERVERLESS';
  }): Promise<MskClusterInfo[]>;
  /** DescribeClusterV2. */
  describeCluster(clusterArn: string): Promise<MskClusterInfo>;
  /** ListNodes, all pages: the brokers (controller/ZooKeeper nodes are skipped). */
  listNodes(clusterArn: string): Promise<MskBroker[]>;
  /** GetBootstrapBrokers: the listener matching the auth type (and public access when asked). */
  getBootstrapBrokers(clusterArn: string, opts: { auth: MskAuthType; public?: boolean }): Promise<string[]>;
  /** UpdateRebalancing (Express intelligent rebalancing): pause before manual reassignments. */
  updateRebalancing(
    clusterArn: string,
    opts: { currentVersion: string; status: 'PAUSED' | 'ACTIVE' },
  ): Promise<{ operationArn?: string }>;
}

export type MskAuthType = 'none' | 'tls' | 'scram' | 'msk-iam';

/** Standard (provisioned, EBS), Express (provisioned, express.* instances) or Serverless. */
export type MskClusterType = 'standard' | 'express' | 'serverless';

export interface MskClusterInfo {
  arn: string;
  name: string;
  type: MskClusterType;
  /** ACTIVE, CREATING, UPDATING, HEALING, MAINTENANCE, REBOOTING_BROKER, … (unknown kept). */
  state: string;
  /** The cluster's version token, needed by every update call (UpdateRebalancing, UpdateBrokerStorage). */
  currentVersion: string;
  kafkaVersion?: string;
  instanceType?: string;
  brokerCount?: number;
  /** EBS volume per broker (Standard only; Express manages storage itself). */
  storagePerBrokerGiB?: number;
  /**
   * Storage auto-scaling is an Application Auto Scaling policy, not part of DescribeClusterV2:
   * left undefined here (unknown), never reported as "off".
   */
  storageAutoScaling?: boolean;
  /** Express intelligent rebalancing: Provisioned.Rebalancing.Status (ACTIVE | PAUSED), undefined if absent. */
  intelligentRebalancing?: string;
  zoneIds?: string[];
  /** Listeners enabled for clients. */
  auth: { unauthenticated: boolean; tls: boolean; scram: boolean; iam: boolean };
  /** PublicAccess.Type (DISABLED | SERVICE_PROVIDED_EIPS). */
  publicAccess?: string;
  activeOperationArn?: string;
  tags: Record<string, string>;
}

export interface MskBroker {
  brokerId: number;
  endpoints: string[];
  instanceType?: string;
  /** ListNodes gives the client subnet, not the AZ; map subnet → AZ with EC2 if needed. */
  clientSubnet?: string;
  clientVpcIp?: string;
  nodeArn?: string;
  kafkaVersion?: string;
}
