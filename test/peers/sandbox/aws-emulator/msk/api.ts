/**
 * The kafka (MSK) REST-JSON routes streamctl uses: ListClustersV2, DescribeClusterV2, ListNodes,
 * GetBootstrapBrokers, UpdateRebalancing. Path parameters arrive URL-encoded (ARNs contain ':'
 * and '/').
 */
import { err } from '../errors.js';
import { paginate } from '../pagination.js';
import { bootstrapWire, clusterWire, type MskClusters, nodesWire } from './clusters.js';

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export interface RestRoute {
  operation: string;
  method: string;
  pattern: RegExp;
  handle(m: RegExpExecArray, req: RestRequest): { status: number; body: unknown };
}

const page = <T>(items: T[], q: URLSearchParams, scope: string) =>
  paginate(
    items,
    q.get('nextToken') ?? undefined,
    q.get('maxResults') === null ? undefined : Number(q.get('maxResults')),
    {
      max: 100,
      defaultLimit: 10,
      scope,
      badToken: err.kafkaBadRequest,
    },
  );

export function mskRoutes(clusters: MskClusters): RestRoute[] {
  const arnOf = (m: RegExpExecArray) => decodeURIComponent(m[1]!);
  return [
    {
      operation: 'ListClustersV2',
      method: 'GET',
      pattern: /^\/api\/v2\/clusters\/?$/,
      handle: (_m, req) => {
        const nameFilter = req.query.get('clusterNameFilter');
        const typeFilter = req.query.get('clusterTypeFilter');
        const all = [...clusters.byArn.values()]
          .filter((c) => (nameFilter ? c.spec.name.startsWith(nameFilter) : true))
          .filter((c) =>
            typeFilter ? (c.spec.kind === 'SERVERLESS' ? 'SERVERLESS' : 'PROVISIONED') === typeFilter : true,
          )
          .sort((a, b) => a.spec.name.localeCompare(b.spec.name))
          .map(clusterWire);
        const { page: items, nextToken } = page(all, req.query, 'ListClustersV2');
        return { status: 200, body: { clusterInfoList: items, ...(nextToken ? { nextToken } : {}) } };
      },
    },
    {
      operation: 'DescribeClusterV2',
      method: 'GET',
      pattern: /^\/api\/v2\/clusters\/([^/]+)\/?$/,
      handle: (m) => ({ status: 200, body: { clusterInfo: clusterWire(clusters.get(arnOf(m))) } }),
    },
    {
      operation: 'ListNodes',
      method: 'GET',
      pattern: /^\/v1\/clusters\/([^/]+)\/nodes\/?$/,
      handle: (m, req) => {
        const c = clusters.get(arnOf(m));
        if (c.spec.kind === 'SERVERLESS')
          throw err.kafkaBadRequest('This operation is not supported for serverless clusters');
        const { page: items, nextToken } = page(nodesWire(c), req.query, `ListNodes:${c.arn}`);
        return { status: 200, body: { nodeInfoList: items, ...(nextToken ? { nextToken } : {}) } };
      },
    },
    {
      operation: 'GetBootstrapBrokers',
      method: 'GET',
      pattern: /^\/v1\/clusters\/([^/]+)\/bootstrap-brokers\/?$/,
      handle: (m) => ({ status: 200, body: bootstrapWire(clusters.get(arnOf(m))) }),
    },
    {
      operation: 'UpdateRebalancing',
      method: 'PUT',
      pattern: /^\/v1\/clusters\/([^/]+)\/rebalancing\/?$/,
      handle: (m, req) => {
        const rebalancing = (req.body.rebalancing ?? {}) as Record<string, unknown>;
        return {
          status: 200,
          body: clusters.updateRebalancing(arnOf(m), req.body.currentVersion, rebalancing.status),
        };
      },
    },
  ];
}
