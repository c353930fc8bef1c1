import { z } from 'zod';

/** What streamctl needs from MSK responses. Loose objects; unknown enum values kept. */

const Enabled = z.looseObject({ Enabled: z.boolean().optional() }).optional();

const ClientAuthSchema = z
  .looseObject({
    Sasl: z.looseObject({ Scram: Enabled, Iam: Enabled }).optional(),
    Tls: Enabled,
    Unauthenticated: Enabled,
  })
  .optional();

export const ClusterSchema = z.looseObject({
  ClusterArn: z.string().min(1),
  ClusterName: z.string().min(1),
  ClusterType: z.string().min(1),
  State: z.string().min(1),
  CurrentVersion: z.string().min(1),
  ActiveOperationArn: z.string().optional(),
  Tags: z.record(z.string(), z.string()).optional(),
  Provisioned: z
    .looseObject({
      BrokerNodeGroupInfo: z.looseObject({
        InstanceType: z.string().min(1),
        ZoneIds: z.array(z.string()).optional(),
        StorageInfo: z
          .looseObject({ EbsStorageInfo: z.looseObject({ VolumeSize: z.number().optional() }).optional() })
          .optional(),
        ConnectivityInfo: z
          .looseObject({ PublicAccess: z.looseObject({ Type: z.string().optional() }).optional() })
          .optional(),
      }),
      NumberOfBrokerNodes: z.number().int().nonnegative(),
      CurrentBrokerSoftwareInfo: z.looseObject({ KafkaVersion: z.string().optional() }).optional(),
      Rebalancing: z.looseObject({ Status: z.string().optional() }).optional(),
      ClientAuthentication: ClientAuthSchema,
    })
    .optional(),
  Serverless: z
    .looseObject({
      ClientAuthentication: z.looseObject({ Sasl: z.looseObject({ Iam: Enabled }).optional() }).optional(),
    })
    .optional(),
});
export type RawCluster = z.infer<typeof ClusterSchema>;

export const ListClustersV2Schema = z.looseObject({
  ClusterInfoList: z.array(ClusterSchema).default([]),
  NextToken: z.string().optional(),
});

export const DescribeClusterV2Schema = z.looseObject({ ClusterInfo: ClusterSchema });

export const NodeSchema = z.looseObject({
  NodeType: z.string().optional(),
  NodeARN: z.string().optional(),
  InstanceType: z.string().optional(),
  BrokerNodeInfo: z
    .looseObject({
      BrokerId: z.number(),
      Endpoints: z.array(z.string()).default([]),
      ClientSubnet: z.string().optional(),
      ClientVpcIpAddress: z.string().optional(),
      CurrentBrokerSoftwareInfo: z.looseObject({ KafkaVersion: z.string().optional() }).optional(),
    })
    .optional(),
});
export type RawNode = z.infer<typeof NodeSchema>;

export const ListNodesSchema = z.looseObject({
  NodeInfoList: z.array(NodeSchema).default([]),
  NextToken: z.string().optional(),
});

export const BootstrapBrokersSchema = z.looseObject({
  BootstrapBrokerString: z.string().optional(),
  BootstrapBrokerStringTls: z.string().optional(),
  BootstrapBrokerStringSaslScram: z.string().optional(),
  BootstrapBrokerStringSaslIam: z.string().optional(),
  BootstrapBrokerStringPublicTls: z.string().optional(),
  BootstrapBrokerStringPublicSaslScram: z.string().optional(),
  BootstrapBrokerStringPublicSaslIam: z.string().optional(),
});
export type RawBootstrapBrokers = z.infer<typeof BootstrapBrokersSchema>;

export const UpdateRebalancingSchema = z.looseObject({
  ClusterArn: z.string().optional(),
  ClusterOperationArn: z.string().optional(),
});
