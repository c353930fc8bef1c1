import { describe, expect, it } from 'vitest';
import type { HealerNotification } from '../../../src/healer/act/port.js';
import { LiveHealerActions } from '../../../src/services/healer/actions.js';
import { configuredFleet, type FleetMember } from '../../../src/services/healer/fleet.js';
import type { SelfManagedFlinkAdmin } from '../../../src/services/healer/self-managed.js';
import { configOf, fakePorts, NOW } from './fixtures.js';

const config = configOf({
  flink: {
    applications: [
      { name: 'orders', managed: { applicationName: 'orders-msf' } },
      { name: 'sm', rest: { url: 'http://127.0.0.1:8081' } },
    ],
  },
});
const fleet = new Map(configuredFleet(config).map((m) => [m.name, m]));
const orders = {
  name: 'orders',
  kind: 'managed' as const,
  applicationName: 'orders-msf',
  region: 'us-east-1',
};
const sm = { name: 'sm', kind: 'self-managed' as const };

class FakeAdmin implements SelfManagedFlinkAdmin {
  calls: string[] = [];
  async jars() {
    return [];
  }
  async cancel(jobId: string) {
    this.calls.push(`cancel ${jobId}`);
  }
  async runJar(jarId: string, o: { savepointPath?: string }) {
    this.calls.push(`run ${jarId} ${o.savepointPath ?? '-'}`);
    return 'c'.repeat(32);
  }
}

function actions(opts: { notify?: () => Promise<never> } = {}) {
  const f = fakePorts();
  f.msf.add(
    { applicationName: 'orders-msf', versionId: 5, versionUpdatedFrom: 4 },
    { snapshots: [{ name: 's', status: 'READY', createTime: new Date(NOW).toISOString() }] },
  );
  const admin = new FakeAdmin();
  const sent: HealerNotification[] = [];
  const failures: string[] = [];
  const a = new LiveHealerActions({
    ports: f.ports,
    member: (n) => fleet.get(n),
    admin: (m: FleetMember) => (m.kind === 'self-managed' ? admin : undefined),
    currentJobId: async () => 'd'.repeat(32),
    notifier: {
      notify:
        opts.notify ??
        (async (n) => {
          sent.push(n);
          return [{ channel: 'slack', ok: false, error: 'HTTP 500' }];
        }),
    },
    onNotifyResult: (_n, r) =>
      failures.push(...r.filter((x) => !x.ok).map((x) => `${x.channel}: ${x.error}`)),
  });
  return { a, f, admin, sent, failures };
}

describe('LiveHealerActions', () => {
  it('rollback: RollbackApplication with the current version id → accepted with its operation id', async () => {
    const { a, f } = actions();
    expect(await a.rollback(orders, 5)).toEqual({ ok: true, operationId: 'op-1' });
    expect(f.msf.calls).toEqual([{ method: 'rollback', args: ['orders-msf', { currentVersionId: 5 }] }]);
  });

  it.each([
    [
      'a stale version id',
      (x: ReturnType<typeof actions>) => x.a.rollback(orders, 4),
      'CONCURRENT_MODIFICATION',
      true,
    ],
    [
      'no snapshot',
      (x: ReturnType<typeof actions>) => {
        x.f.msf.apps.get('orders-msf')!.snapshots = [];
        return x.a.rollback(orders, 5);
      },
      'RESOURCE_IN_USE',
      true,
    ],
    [
      'the application is READY',
      (x: ReturnType<typeof actions>) => {
        x.f.msf.apps.get('orders-msf')!.detail.status = 'READY';
        return x.a.forceStop(orders);
      },
      'RESOURCE_IN_USE',
      true,
    ],
  ])(
    '%s: a refusal is a value (ok:false with the typed code), never a throw',
    async (_w, call, code, transient) => {
      const x = actions();
      const r = await call(x);
      expect(r).toMatchObject({ ok: false, error: { code, transient } });
    },
  );

  it('force-stop: StopApplication Force=true', async () => {
    const { a, f } = actions();
    expect(await a.forceStop(orders)).toMatchObject({ ok: true });
    expect(f.msf.calls).toEqual([{ method: 'stop', args: ['orders-msf', { force: true }] }]);
    expect(f.msf.apps.get('orders-msf')!.detail.status).toBe('FORCE_STOPPING');
  });

  it('self-managed redeploy: cancel the job, then run the previous jar from the savepoint', async () => {
    const { a, admin } = actions();
    const r = await a.redeploySelfManaged(sm, {
      jobId: 'a'.repeat(32),
      previousJarId: 'prev_orders.jar',
      savepointPath: 'file:/sp/1',
    });
    expect(r).toEqual({ ok: true, operationId: 'c'.repeat(32) });
    expect(admin.calls).toEqual([`cancel ${'a'.repeat(32)}`, 'run prev_orders.jar file:/sp/1']);
  });

  it('self-managed redeploy without a previous jar is refused before the job is touched', async () => {
    const { a, admin } = actions();
    expect(await a.redeploySelfManaged(sm, { jobId: 'a'.repeat(32) })).toMatchObject({
      ok: false,
      error: { code: 'NO_PREVIOUS_JAR' },
    });
    expect(admin.calls).toEqual([]);
  });

  it('self-managed force-stop cancels the running job (no savepoint)', async () => {
    const { a, admin } = actions();
    expect(await a.forceStop(sm)).toMatchObject({ ok: true });
    expect(admin.calls).toEqual([`cancel ${'d'.repeat(32)}`]);
  });

  it('notify never throws: failed channels are reported', async () => {
    const x = actions();
    const n: HealerNotification = {
      incidentKey: 'k',
      app: 'orders',
      event: 'trigger',
      severity: 'critical',
      reason: 'gave-up',
      summary: 's',
    };
    await x.a.notify(n);
    expect(x.sent).toEqual([n]);
    expect(x.failures).toEqual(['slack: HTTP 500']);
    const broken = actions({ notify: async () => Promise.reject(new Error('boom')) });
    await expect(broken.a.notify(n)).resolves.toBeUndefined();
    expect(broken.failures).toEqual(['all: boom']);
  });
});
