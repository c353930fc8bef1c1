import {
  DescribeClusterV2Command,
  GetBootstrapBrokersCommand,
  KafkaClient,
  ListClustersV2Command,
  ListNodesCommand,
  UpdateRebalancingCommand,
} from '@aws-sdk/client-kafka';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StreamctlError } from '../../../src/core/errors.js';
import { createMskProbe } from '../../../src/probes/msk/index.js';
import type { MskAuthType } from '../../../src/probes/msk/port.js';
import { FakeMsk } from '../../fakes/msk/fake.js';
import { awsException, strictMock } from '../aws-mock.js';

const kafka = mockClient(KafkaClient);
const probe = createMskProbe(new KafkaClient({ region: 'eu-west-1' }));
const ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/orders/2f1e-4a5b-1';

async function caught(p: Promise<unknown>): Promise<StreamctlError> {
  try {
    await p;
  } catch (e) {
    return e as StreamctlError;
  }
  throw new Error('expected a rejection');
}

function provisioned(instanceType: string, over: Record<string, unknown> = {}) {
  return {
    ClusterArn: ARN,
    ClusterName: 'orders',
    ClusterType: 'PROVISIONED',
    State: 'ACTIVE',
    CurrentVersion: 'K3AEGXETSR30VB',
    Tags: { team: 'data' },
    Provisioned: {
      BrokerNodeGroupInfo: {
        InstanceType: instanceType,
        ClientSubnets: ['subnet-a', 'subnet-b', 'subnet-c'],
        ZoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'],
        StorageInfo: { EbsStorageInfo: { VolumeSize: 1000 } },
        ConnectivityInfo: { PublicAccess: { Type: 'DISABLED' } },
      },
      NumberOfBrokerNodes: 6,
      CurrentBrokerSoftwareInfo: { KafkaVersion: '3.9.x' },
      ClientAuthentication: {
        Sasl: { Iam: { Enabled: true }, Scram: { Enabled: false } },
        Tls: { Enabled: true },
        Unauthenticated: { Enabled: false },
      },
      ...over,
    },
  };
}

beforeEach(() => strictMock(kafka));

describe('describeCluster', () => {
  it('maps a Standard cluster', async () => {
    kafka
      .on(DescribeClusterV2Command, { ClusterArn: ARN }, true)
      .resolves({ ClusterInfo: provisioned('kafka.m7g.large') as never });
    expect(await probe.describeCluster(ARN)).toEqual({
      arn: ARN,
      name: 'orders',
      type: 'standard',
      state: 'ACTIVE',
      currentVersion: 'K3AEGXETSR30VB',
      kafkaVersion: '3.9.x',
      instanceType: 'kafka.m7g.large',
      brokerCount: 6,
      storagePerBrokerGiB: 1000,
      zoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'],
      publicAccess: 'DISABLED',
      auth: { unauthenticated: false, tls: true, scram: false, iam: true },
      tags: { team: 'data' },
    });
  });

  it('maps an Express cluster with its intelligent rebalancing status and no per-broker storage', async () => {
    kafka.on(DescribeClusterV2Command).resolves({
      ClusterInfo: provisioned('express.m7g.xlarge', { Rebalancing: { Status: 'ACTIVE' } }) as never,
    });
    const c = await probe.describeCluster(ARN);
    expect([c.type, c.intelligentRebalancing, c.storagePerBrokerGiB, c.storageAutoScaling]).toEqual([
      'express',
      'ACTIVE',
      undefined,
      undefined,
    ]);
  });

  it('maps a Serverless cluster (IAM only) and keeps an unknown state', async () => {
    kafka.on(DescribeClusterV2Command).resolves({
      ClusterInfo: {
        ClusterArn: ARN,
        ClusterName: 'sls',
        ClusterType: 'SERVERLESS',
        State: 'RESIZING' as never,
        CurrentVersion: 'V1',
        Serverless: {
          VpcConfigs: [{ SubnetIds: ['s'] }],
          ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
        },
      },
    });
    const c = await probe.describeCluster(ARN);
    expect([c.type, c.state, c.auth.iam, c.brokerCount]).toEqual(['serverless', 'RESIZING', true, undefined]);
  });

  it('requires CurrentVersion (every update needs it) and says so', async () => {
    const raw = provisioned('kafka.m5.large');
    delete (raw as Record<string, unknown>).CurrentVersion;
    kafka.on(DescribeClusterV2Command).resolves({ ClusterInfo: raw as never });
    expect((await caught(probe.describeCluster(ARN))).message).toBe(
      'kafka DescribeClusterV2 response: ClusterInfo.CurrentVersion: expected a string (got undefined)',
    );
  });

  it.each([
    ['NotFoundException', 'NOT_FOUND', 78],
    ['ForbiddenException', 'NOPERM', 77],
    ['TooManyRequestsException', 'TEMPFAIL', 75],
    ['ServiceUnavailableException', 'UNAVAILABLE', 69],
  ])('maps %s to %s', async (name, code, exit) => {
    kafka
      .on(DescribeClusterV2Command)
      .rejects(
        awsException(
          name,
          'x',
          name === 'ForbiddenException' ? 403 : name === 'TooManyRequestsException' ? 429 : 400,
        ),
      );
    const err = await caught(probe.describeCluster(ARN));
    expect([err.code, err.exitCode]).toEqual([code, exit]);
  });
});

describe('listing', () => {
  it('lists every cluster page with the filters', async () => {
    const base = { MaxResults: 100, ClusterNameFilter: 'ord', ClusterTypeFilter: 'PROVISIONED' };
    kafka
      .on(ListClustersV2Command, base, true)
      .resolves({ ClusterInfoList: [provisioned('kafka.m5.large') as never], NextToken: 'n' });
    kafka.on(ListClustersV2Command, { ...base, NextToken: 'n' }, true).resolves({
      ClusterInfoList: [{ ...provisioned('express.m7g.large'), ClusterName: 'orders-x' } as never],
    });
    const all = await probe.listClusters({ nameContains: 'ord', type: 'PROVISIONED' });
    expect(all.map((c) => [c.name, c.type])).toEqual([
      ['orders', 'standard'],
      ['orders-x', 'express'],
    ]);
  });

  it('lists broker nodes across pages, sorted by id, skipping controllers', async () => {
    const node = (id: number) => ({
      NodeType: 'BROKER' as const,
      InstanceType: 'kafka.m5.large',
      NodeARN: `arn:node/${id}`,
      BrokerNodeInfo: {
        BrokerId: id,
        Endpoints: [`b-${id}.orders.abc.c2.kafka.eu-west-1.amazonaws.com`],
        ClientSubnet: `subnet-${id}`,
        ClientVpcIpAddress: `10.0.0.${id}`,
        CurrentBrokerSoftwareInfo: { KafkaVersion: '3.9.x' },
      },
    });
    kafka.on(ListNodesCommand, { ClusterArn: ARN, MaxResults: 100 }, true).resolves({
      NodeInfoList: [node(3), { NodeType: 'BROKER', ControllerNodeInfo: { Endpoints: ['c-1'] } }],
      NextToken: 'p',
    });
    kafka
      .on(ListNodesCommand, { ClusterArn: ARN, MaxResults: 100, NextToken: 'p' }, true)
      .resolves({ NodeInfoList: [node(1)] });
    const brokers = await probe.listNodes(ARN);
    expect(brokers.map((b) => b.brokerId)).toEqual([1, 3]);
    expect(brokers[0]).toEqual({
      brokerId: 1,
      endpoints: ['b-1.orders.abc.c2.kafka.eu-west-1.amazonaws.com'],
      instanceType: 'kafka.m5.large',
      clientSubnet: 'subnet-1',
      clientVpcIp: '10.0.0.1',
      nodeArn: 'arn:node/1',
      kafkaVersion: '3.9.x',
    });
  });
});

describe('getBootstrapBrokers', () => {
  const all = {
    BootstrapBrokerString: 'b-1:9092,b-2:9092',
    BootstrapBrokerStringTls: 'b-1:9094,b-2:9094',
    BootstrapBrokerStringSaslScram: 'b-1:9096',
    BootstrapBrokerStringSaslIam: 'b-1:9098',
    BootstrapBrokerStringPublicTls: 'b-1-public:9194',
    BootstrapBrokerStringPublicSaslScram: 'b-1-public:9196',
    BootstrapBrokerStringPublicSaslIam: 'b-1-public:9198',
  };
  it.each<[MskAuthType, boolean, string[]]>([
    ['none', false, ['b-1:9092', 'b-2:9092']],
    ['tls', false, ['b-1:9094', 'b-2:9094']],
    ['scram', false, ['b-1:9096']],
    ['msk-iam', false, ['b-1:9098']],
    ['tls', true, ['b-1-public:9194']],
    ['scram', true, ['b-1-public:9196']],
    ['msk-iam', true, ['b-1-public:9198']],
  ])('auth %s (public %s) picks %j', async (auth, pub, servers) => {
    kafka.on(GetBootstrapBrokersCommand, { ClusterArn: ARN }, true).resolves(all);
    expect(await probe.getBootstrapBrokers(ARN, { auth, public: pub })).toEqual(servers);
  });

  it.each<[MskAuthType, boolean, string]>([
    [
      'scram',
      false,
      'the SASL/SCRAM listener is not enabled (GetBootstrapBrokers has no BootstrapBrokerStringSaslScram)',
    ],
    ['msk-iam', true, 'the public IAM listener is not enabled'],
    ['none', true, 'no public plaintext'],
  ])('explains a missing %s listener (public %s)', async (auth, pub, text) => {
    kafka.on(GetBootstrapBrokersCommand).resolves({ BootstrapBrokerStringTls: 'b-1:9094' });
    const err = await caught(probe.getBootstrapBrokers(ARN, { auth, public: pub }));
    expect([err.code, err.exitCode]).toEqual(['LISTENER_NOT_ENABLED', 78]);
    expect(err.message).toContain(text);
  });
});

describe('updateRebalancing', () => {
  it('pauses intelligent rebalancing with the current version', async () => {
    kafka
      .on(
        UpdateRebalancingCommand,
        { ClusterArn: ARN, CurrentVersion: 'K3AEGXETSR30VB', Rebalancing: { Status: 'PAUSED' } },
        true,
      )
      .resolves({ ClusterArn: ARN, ClusterOperationArn: `${ARN}/op/1` });
    expect(
      await probe.updateRebalancing(ARN, { currentVersion: 'K3AEGXETSR30VB', status: 'PAUSED' }),
    ).toEqual({ operationArn: `${ARN}/op/1` });
  });

  it.each([
    ['ConflictException', 'nope', 'CONFLICT', true],
    [
      'BadRequestException',
      'The cluster version old does not match the current version K3AEGXETSR30VB',
      'CONFLICT',
      true,
    ],
    ['BadRequestException', 'Rebalancing is not supported for serverless clusters', 'REFUSED', false],
  ])('maps %s "%s" to %s', async (name, message, code, transient) => {
    kafka.on(UpdateRebalancingCommand).rejects(awsException(name, message));
    const err = await caught(probe.updateRebalancing(ARN, { currentVersion: 'old', status: 'PAUSED' }));
    expect([err.code, err.transient]).toEqual([code, transient]);
  });
});

describe('FakeMsk', () => {
  it('enforces CurrentVersion on updateRebalancing like MSK', async () => {
    const fake = new FakeMsk();
    fake.add({
      arn: ARN,
      name: 'orders',
      type: 'express',
      state: 'ACTIVE',
      currentVersion: 'v1',
      intelligentRebalancing: 'ACTIVE',
      auth: { unauthenticated: false, tls: true, scram: false, iam: true },
      tags: {},
    });
    await fake.updateRebalancing(ARN, { currentVersion: 'v1', status: 'PAUSED' });
    expect((await fake.describeCluster(ARN)).intelligentRebalancing).toBe('PAUSED');
    expect((await caught(fake.updateRebalancing(ARN, { currentVersion: 'v1', status: 'ACTIVE' }))).code).toBe(
      'CONFLICT',
    );
  });
});
