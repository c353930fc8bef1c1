import type * as KafkaSdk from '@aws-sdk/client-kafka';
import type { KafkaClient, ListClustersV2CommandInput } from '@aws-sdk/client-kafka';
import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import { awsError, awsErrorName, parseResponse } from '../aws-response.js';
import { lazySdk } from '../lazy-sdk.js';
import { allPages } from '../paginate.js';
import { pickBootstrap, toBrokers, toClusterInfo } from './map.js';
import type { MskPort } from './port.js';
import {
  BootstrapBrokersSchema,
  DescribeClusterV2Schema,
  ListClustersV2Schema,
  ListNodesSchema,
  UpdateRebalancingSchema,
} from './schema.js';

// The SDK package loads at the first call, not when a command imports this file (lazy-sdk.ts).
const kafka = lazySdk<typeof KafkaSdk>('@aws-sdk/client-kafka');

const SVC = 'kafka';
/** ListClustersV2 / ListNodes page size (the APIs' maximum is 100). */
export const PAGE_SIZE = 100;

/** The MSK adapter for one region. */
export function createMskProbe(client: KafkaClient): MskPort {
  async function call<T>(api: string, target: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw mskError(err, api, target);
    }
  }

  return {
    async listClusters(filter = {}) {
      const base: ListClustersV2CommandInput = { MaxResults: PAGE_SIZE };
      if (filter.nameContains) base.ClusterNameFilter = filter.nameContains;
      if (filter.type) base.ClusterTypeFilter = filter.type;
      const rows = await allPages(`${SVC} ListClustersV2`, async (NextToken) => {
        const out = await call('ListClustersV2', '*', () =>
          client.send(new kafka.ListClustersV2Command(NextToken ? { ...base, NextToken } : base)),
        );
        const r = parseResponse(ListClustersV2Schema, out, `${SVC} ListClustersV2`);
        return { items: r.ClusterInfoList, nextToken: r.NextToken };
      });
      return rows.map(toClusterInfo);
    },

    async describeCluster(arn) {
      const out = await call('DescribeClusterV2', arn, () =>
        client.send(new kafka.DescribeClusterV2Command({ ClusterArn: arn })),
      );
      return toClusterInfo(
        parseResponse(DescribeClusterV2Schema, out, `${SVC} DescribeClusterV2`).ClusterInfo,
      );
    },

    async listNodes(arn) {
      const rows = await allPages(`${SVC} ListNodes`, async (NextToken) => {
        const input = NextToken
          ? { ClusterArn: arn, MaxResults: PAGE_SIZE, NextToken }
          : { ClusterArn: arn, MaxResults: PAGE_SIZE };
        const out = await call('ListNodes', arn, () => client.send(new kafka.ListNodesCommand(input)));
        const r = parseResponse(ListNodesSchema, out, `${SVC} ListNodes`);
        return { items: r.NodeInfoList, nextToken: r.NextToken };
      });
      return toBrokers(rows);
    },

    async getBootstrapBrokers(arn, { auth, public: pub }) {
      const out = await call('GetBootstrapBrokers', arn, () =>
        client.send(new kafka.GetBootstrapBrokersCommand({ ClusterArn: arn })),
      );
      return pickBootstrap(
        parseResponse(BootstrapBrokersSchema, out, `${SVC} GetBootstrapBrokers`),
        arn,
        auth,
        pub ?? false,
      );
    },

    async updateRebalancing(arn, { currentVersion, status }) {
      const out = await call('UpdateRebalancing', arn, () =>
        client.send(
          new kafka.UpdateRebalancingCommand({
            ClusterArn: arn,
            CurrentVersion: currentVersion,
            Rebalancing: { Status: status },
          }),
        ),
      );
      const r = parseResponse(UpdateRebalancingSchema, out, `${SVC} UpdateRebalancing`);
      return r.ClusterOperationArn !== undefined ? { operationArn: r.ClusterOperationArn } : {};
    },
  };
}

/** Maps MSK exceptions: not found → config (78); conflict → transient (75); bad request → refused. */
export function mskError(err: unknown, api: string, target: string): StreamctlError {
  if (err instanceof StreamctlError) return err;
  const msg = (err as Error)?.message ?? String(err);
  let name = awsErrorName(err);
  // MSK answers a stale CurrentVersion with BadRequestException ("… does not match the current
  // version …"): that is a lost race, not a bad request — describe again and retry.
  if (name === 'BadRequestException' && /current\s*version|CurrentVersion/i.test(msg))
    name = 'ConflictException';
  switch (name) {
    case 'NotFoundException':
      return new StreamctlError('NOT_FOUND', `${SVC} ${api}: ${target} not found: ${msg}`, {
        exitCode: Sysexit.CONFIG,
        hint: 'Check kafka.clusters[].msk.arn and its region.',
        cause: err,
      });
    case 'ConflictException':
      return new StreamctlError('CONFLICT', `${SVC} ${api}: ${target} changed or is busy: ${msg}`, {
        exitCode: Sysexit.TEMPFAIL,
        transient: true,
        hint: 'Describe the cluster again (its CurrentVersion changes with every update) and retry once it is ACTIVE.',
        cause: err,
      });
    case 'BadRequestException':
      return new StreamctlError('REFUSED', `${SVC} ${api}: refused for ${target}: ${msg}`, {
        exitCode: Sysexit.TEMPFAIL,
        hint: 'The cluster is not in a state (or of a type) that allows this; see streamctl kafka status.',
        cause: err,
      });
    default:
      return awsError(err, `${SVC} ${api} (${target})`);
  }
}
