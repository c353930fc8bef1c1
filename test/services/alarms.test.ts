import { describe, expect, it } from 'vitest';
import { flinkAlarmTarget, planAlarms } from '../../src/alarms/plan.js';
import { parseConfigText } from '../../src/config/load.js';
import { Sysexit } from '../../src/core/exit-codes.js';
import type { MskBroker } from '../../src/probes/msk/port.js';
import {
  type AlarmPlan,
  buildAlarmPlan,
  incompleteInstall,
  installAlarms,
} from '../../src/services/alarms.js';
import { FakeCloudWatch } from '../fakes/cloudwatch/fake.js';
import { FakeManagedFlink } from '../fakes/managed-flink/fake.js';
import { FakeMsk } from '../fakes/msk/fake.js';

const app = (name: string) => ({ name, applicationName: name, runtime: 'FLINK-1_20' });

/** Two regions, each with its own fake CloudWatch. */
function regions() {
  const east = new FakeCloudWatch();
  const west = new FakeCloudWatch();
  const cw = (r: string | undefined) => (r === 'us-west-2' ? west : east);
  return { east, west, cw };
}

describe('installAlarms --prune', () => {
  it('prunes each region only of its own stale alarms (never an alarm another region just installed)', async () => {
    // Arrange: app "old" had alarms in us-east-1 and now lives in us-west-2 (same alarm names):
    // stale in us-east-1, wanted in us-west-2.
    const { east, west, cw } = regions();
    for (const a of planAlarms([app('old')], [])) await east.putMetricAlarm(a);
    const plan: AlarmPlan = {
      regions: [
        { region: 'us-east-1', alarms: planAlarms([app('enricher')], []) },
        { region: 'us-west-2', alarms: planAlarms([app('old')], []) },
      ],
      skipped: [],
    };

    // Act
    const r = await installAlarms(plan, { prune: true, cw });

    // Assert: us-west-2 keeps the alarms it was just given; each stale name is pruned once.
    const oldNames = planAlarms([app('old')], []).map((a) => a.name);
    expect([...west.alarms.keys()].sort()).toEqual([...oldNames].sort());
    expect([...east.alarms.keys()].some((n) => oldNames.includes(n))).toBe(false);
    expect(r.pruned.sort()).toEqual([...oldNames].sort());
  });

  it('never prunes the alarms of a target that could not be described (a throttled call is not a removal)', async () => {
    // Arrange: both apps have alarms; DescribeApplication of "sessions" failed this time.
    const { east, cw } = regions();
    for (const a of planAlarms([app('enricher'), app('sessions')], [])) await east.putMetricAlarm(a);
    const plan: AlarmPlan = {
      regions: [{ region: 'us-east-1', alarms: planAlarms([app('enricher')], []) }],
      skipped: [
        {
          target: 'flink/sessions',
          alarmTarget: flinkAlarmTarget('sessions'),
          reason: 'DescribeApplication: Rate exceeded',
        },
      ],
    };

    // Act
    const r = await installAlarms(plan, { prune: true, cw });

    // Assert
    const sessions = planAlarms([app('sessions')], []).map((a) => a.name);
    for (const n of sessions) expect(east.alarms.has(n)).toBe(true);
    expect(r.pruned).toEqual([]);
    expect(r.stale).toEqual([]);
  });
});

describe('installAlarms with a region whose CloudWatch fails', () => {
  it('installs the other regions, lists every alarm it could not put, prunes nothing there; not success', async () => {
    const { east, west, cw } = regions();
    for (const a of planAlarms([app('gone')], [])) await west.putMetricAlarm(a);
    west.describeAlarms = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    };
    const plan: AlarmPlan = {
      regions: [
        { region: 'us-east-1', alarms: planAlarms([app('enricher')], []) },
        { region: 'us-west-2', alarms: planAlarms([app('sessions')], []) },
      ],
      skipped: [],
    };

    const r = await installAlarms(plan, { prune: true, cw });

    const sessions = planAlarms([app('sessions')], []).map((a) => a.name);
    expect(r.created).toEqual(planAlarms([app('enricher')], []).map((a) => a.name));
    expect(r.failed.map((f) => f.alarm)).toEqual(sessions);
    expect(r.failed[0]!.reason).toContain('ECONNREFUSED');
    expect(r.pruned).toEqual([]);
    expect(east.alarms.size).toBe(r.created.length);
    const e = incompleteInstall(plan, r);
    expect(e).toMatchObject({ code: 'PARTIAL_INSTALL', exitCode: 69 });
    expect(e!.message).toContain(`NOT installed: ${sessions[0]}`);
  });

  it('nothing installed at all: the first failure’s own code (denied: 77), never 0', () => {
    const plan: AlarmPlan = { regions: [], skipped: [] };
    const e = incompleteInstall(plan, {
      created: [],
      updated: [],
      stale: [],
      pruned: [],
      failed: [{ alarm: 'streamctl-x', reason: 'PutMetricAlarm: denied', exitCode: 77 }],
    });
    expect(e).toMatchObject({ code: 'NOTHING_INSTALLED', exitCode: 77 });
    expect(e!.message).toContain('no alarm installed');
    expect(
      incompleteInstall(plan, { created: ['a'], updated: [], stale: [], pruned: [], failed: [] }),
    ).toBeUndefined();
  });
});

describe('buildAlarmPlan through its ports', () => {
  const ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/11111111-2222-3333-4444-555555555555-1';
  const config = parseConfigText(
    `
aws: { region: us-east-1 }
flink:
  applications:
    - name: enricher
      managed: { applicationName: enricher }
kafka:
  clusters:
    - name: orders
      msk: { arn: "${ARN}" }
    - name: gone
      msk: { arn: "${ARN.replace('orders', 'gone')}" }
`,
    'streamctl.yaml',
  );

  it('plans the described targets and names each one it could not describe, with its exit code', async () => {
    // Arrange: the MSF and MSK fakes stand for the ports the command builds (cli/live-ports.ts).
    const msf = new FakeManagedFlink();
    msf.add({ applicationName: 'enricher', runtime: 'FLINK-1_20' });
    const msk = new FakeMsk();
    msk.add(
      {
        arn: ARN,
        name: 'orders',
        type: 'standard',
        state: 'ACTIVE',
        currentVersion: 'v1',
        tags: {},
        auth: { unauthenticated: false, tls: true, scram: false, iam: true },
      },
      [1, 2, 3].map((brokerId) => ({ brokerId }) as MskBroker),
    );

    // Act
    const plan = await buildAlarmPlan(config, { msf: () => msf, msk: () => msk });

    // Assert
    const names = plan.regions.flatMap((r) => r.alarms.map((a) => a.name));
    expect(names.some((n) => n.includes('enricher'))).toBe(true);
    expect(names.some((n) => n.includes('orders'))).toBe(true);
    expect(plan.skipped).toEqual([
      expect.objectContaining({ target: 'kafka/gone', exitCode: Sysexit.CONFIG }),
    ]);
  });
});
