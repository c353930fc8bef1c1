import { StreamctlError } from '../../../src/core/errors.js';
import { Sysexit } from '../../../src/core/exit-codes.js';
import type { MskAuthType, MskBroker, MskClusterInfo, MskPort } from '../../../src/probes/msk/port.js';

/**
 * An in-memory MskPort: clusters with brokers and listener strings. updateRebalancing enforces
 * the CurrentVersion check (ConflictException on a stale one) and bumps the version, as MSK does.
 */
export class FakeMsk implements MskPort {
  readonly clusters = new Map<
    string,
    { info: MskClusterInfo; brokers: MskBroker[]; bootstrap: Partial<Record<MskAuthType, string[]>> }
  >();
  readonly calls: Array<{ method: keyof MskPort; args: unknown[] }> = [];

  add(
    info: MskClusterInfo,
    brokers: MskBroker[] = [],
    bootstrap: Partial<Record<MskAuthType, string[]>> = {},
  ): void {
    this.clusters.set(info.arn, {
      info: structuredClone(info),
      brokers: structuredClone(brokers),
      bootstrap: structuredClone(bootstrap),
    });
  }

  private get(arn: string) {
    const c = this.clusters.get(arn);
    if (!c) throw new StreamctlError('NOT_FOUND', `kafka: ${arn} not found`, { exitCode: Sysexit.CONFIG });
    return c;
  }

  async listClusters(filter: { nameContains?: string; type?: 'PROVISIONED' | 'SERVERLESS' } = {}) {
    this.calls.push({ method: 'listClusters', args: [filter] });
    return [...this.clusters.values()]
      .map((c) => structuredClone(c.info))
      .filter((i) => !filter.nameContains || i.name.includes(filter.nameContains))
      .filter((i) => !filter.type || (filter.type === 'SERVERLESS') === (i.type === 'serverless'));
  }

  async describeCluster(arn: string) {
    this.calls.push({ method: 'describeCluster', args: [arn] });
    return structuredClone(this.get(arn).info);
  }

  async listNodes(arn: string) {
    this.calls.push({ method: 'listNodes', args: [arn] });
    return structuredClone(this.get(arn).brokers);
  }

  async getBootstrapBrokers(arn: string, opts: { auth: MskAuthType; public?: boolean }) {
    this.calls.push({ method: 'getBootstrapBrokers', args: [arn, opts] });
    const servers = this.get(arn).bootstrap[opts.auth];
    if (!servers?.length)
      throw new StreamctlError('LISTENER_NOT_ENABLED', `${arn}: the ${opts.auth} listener is not enabled`, {
        exitCode: Sysexit.CONFIG,
      });
    return [...servers];
  }

  async updateRebalancing(arn: string, opts: { currentVersion: string; status: 'PAUSED' | 'ACTIVE' }) {
    this.calls.push({ method: 'updateRebalancing', args: [arn, opts] });
    const c = this.get(arn);
    if (c.info.currentVersion !== opts.currentVersion) {
      throw new StreamctlError('CONFLICT', `kafka UpdateRebalancing: ${arn} changed`, {
        exitCode: Sysexit.TEMPFAIL,
        transient: true,
      });
    }
    c.info.intelligentRebalancing = opts.status;
    c.info.currentVersion = `${c.info.currentVersion}+`;
    return { operationArn: `${arn}/operation/${c.info.currentVersion}` };
  }
}
