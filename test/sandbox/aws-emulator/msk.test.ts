import {
  BadRequestException,
  DescribeClusterV2Command,
  GetBootstrapBrokersCommand,
  ListClustersV2Command,
  ListNodesCommand,
  NotFoundException,
  UpdateRebalancingCommand,
} from '@aws-sdk/client-kafka';
import { Kafka, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsEmulatorPeerInfo } from '../../peers/kinds/aws-emulator.js';
import type { KafkaPeerInfo } from '../../peers/kinds/kafka.js';
import { remoteControl } from '../../peers/sandbox/aws-emulator/index.js';
import { usePeer } from '../../peers/use.js';
import { sdkClients } from './helpers.js';

/**
 * MSK discovery through the shared emulator peer (control API over HTTP): a Standard cluster that
 * points at the test bed's real Kafka 3.9 brokers, plus Express and Serverless variants.
 */
describe('emulated MSK discovery of the real local brokers', () => {
  let kafkaInfo: KafkaPeerInfo;
  let c: ReturnType<typeof sdkClients>;
  let arn: string;
  const suffix = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    kafkaInfo = await usePeer<KafkaPeerInfo>('kafka', { version: '3.9', brokers: 3, scram: true });
    const emu = await usePeer<AwsEmulatorPeerInfo>('aws-emulator', {});
    c = sdkClients(emu.endpoint);
    const control = remoteControl(emu.endpoint);
    ({ clusterArn: arn } = await control.registerMskCluster({
      name: `local-${suffix}`,
      kind: 'PROVISIONED',
      kafkaVersion: '3.9.x',
      instanceType: 'kafka.m7g.large',
      volumeSizeGiB: 100,
      brokers: kafkaInfo.brokers.map((b) => ({ id: b.id, host: b.host, port: b.port, rack: b.rack })),
      ...(kafkaInfo.scram ? { bootstrap: { saslScram: kafkaInfo.scram.bootstrap } } : {}),
    }));
    await control.registerMskCluster({
      name: `express-${suffix}`,
      kind: 'EXPRESS',
      brokers: [{ id: 1, port: 1 }],
    });
    await control.registerMskCluster({
      name: `serverless-${suffix}`,
      kind: 'SERVERLESS',
      brokers: [{ id: 1, port: 1 }],
    });
  });

  it('lists and describes the cluster as a Standard (provisioned) cluster', async () => {
    const list = await c.kafka.send(new ListClustersV2Command({ ClusterNameFilter: `local-${suffix}` }));
    expect(list.ClusterInfoList?.map((x) => x.ClusterArn)).toEqual([arn]);
    const { ClusterInfo: ci } = await c.kafka.send(new DescribeClusterV2Command({ ClusterArn: arn }));
    expect(ci).toMatchObject({
      ClusterName: `local-${suffix}`,
      ClusterType: 'PROVISIONED',
      State: 'ACTIVE',
      Provisioned: {
        NumberOfBrokerNodes: 3,
        CurrentBrokerSoftwareInfo: { KafkaVersion: '3.9.x' },
        BrokerNodeGroupInfo: {
          InstanceType: 'kafka.m7g.large',
          StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } },
        },
      },
    });
    expect(ci?.CurrentVersion).toMatch(/\w+/);
    expect(ci?.CreationTime).toBeInstanceOf(Date);
  });

  it('describes Express clusters without per-broker storage and with rebalancing, and Serverless ones', async () => {
    const list = await c.kafka.send(new ListClustersV2Command({}));
    const express = list.ClusterInfoList!.find((x) => x.ClusterName === `express-${suffix}`)!;
    expect(express.Provisioned?.BrokerNodeGroupInfo?.InstanceType).toMatch(/^express\./);
    expect(express.Provisioned?.BrokerNodeGroupInfo?.StorageInfo).toBeUndefined();
    expect(express.Provisioned?.Rebalancing?.Status).toBe('ACTIVE');
    const serverless = list.ClusterInfoList!.find((x) => x.ClusterName === `serverless-${suffix}`)!;
    expect(serverless.ClusterType).toBe('SERVERLESS');
    await expect(
      c.kafka.send(new ListNodesCommand({ ClusterArn: serverless.ClusterArn })),
    ).rejects.toBeInstanceOf(BadRequestException);
  });

  it('lists one node per real broker', async () => {
    const nodes = await c.kafka.send(new ListNodesCommand({ ClusterArn: arn }));
    expect(nodes.NodeInfoList?.map((n) => n.BrokerNodeInfo?.BrokerId).sort()).toEqual(
      kafkaInfo.brokers.map((b) => b.id).sort(),
    );
    expect(nodes.NodeInfoList?.[0]).toMatchObject({
      NodeType: 'BROKER',
      BrokerNodeInfo: { ClientVpcIpAddress: '127.0.0.1' },
    });
  });

  it('returns bootstrap strings a real client connects with (PLAINTEXT and SASL/SCRAM)', async () => {
    const b = await c.kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: arn }));
    expect(b.BootstrapBrokerString).toBe(kafkaInfo.brokers.map((x) => `${x.host}:${x.port}`).join(','));
    const plain = new Kafka({
      clientId: 'emulator-test',
      brokers: b.BootstrapBrokerString!.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await plain.connect();
    try {
      const described = await plain.describeCluster();
      expect(described.brokers.map((x) => x.nodeId).sort()).toEqual(
        kafkaInfo.brokers.map((x) => x.id).sort(),
      );
    } finally {
      await plain.disconnect();
    }
    expect(kafkaInfo.scram, 'the canonical kafka peer has SCRAM').toBeDefined();
    expect(b.BootstrapBrokerStringSaslScram).toBe(kafkaInfo.scram!.bootstrap);
    const scram = new Kafka({
      clientId: 'emulator-test',
      brokers: b.BootstrapBrokerStringSaslScram!.split(','),
      sasl: {
        mechanism: 'scram-sha-512',
        username: kafkaInfo.scram!.username,
        password: kafkaInfo.scram!.password,
      },
      logLevel: logLevel.NOTHING,
    }).admin();
    await scram.connect();
    try {
      expect((await scram.describeCluster()).brokers).toHaveLength(kafkaInfo.brokers.length);
    } finally {
      await scram.disconnect();
    }
  });

  it('pauses rebalancing with the current version and refuses a stale one', async () => {
    const { ClusterInfo: before } = await c.kafka.send(new DescribeClusterV2Command({ ClusterArn: arn }));
    const r = await c.kafka.send(
      new UpdateRebalancingCommand({
        ClusterArn: arn,
        CurrentVersion: before!.CurrentVersion,
        Rebalancing: { Status: 'PAUSED' },
      }),
    );
    expect(r.ClusterOperationArn).toMatch(/cluster-operation/);
    const { ClusterInfo: after } = await c.kafka.send(new DescribeClusterV2Command({ ClusterArn: arn }));
    expect(after?.Provisioned?.Rebalancing?.Status).toBe('PAUSED');
    expect(after?.CurrentVersion).not.toBe(before?.CurrentVersion);
    await expect(
      c.kafka.send(
        new UpdateRebalancingCommand({
          ClusterArn: arn,
          CurrentVersion: before!.CurrentVersion,
          Rebalancing: { Status: 'ACTIVE' },
        }),
      ),
    ).rejects.toBeInstanceOf(BadRequestException);
  });

  it('answers NotFoundException for an unknown cluster ARN', async () => {
    await expect(
      c.kafka.send(
        new DescribeClusterV2Command({ ClusterArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/nope/x' }),
      ),
    ).rejects.toBeInstanceOf(NotFoundException);
  });
});
