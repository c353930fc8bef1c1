import { describe, expect, it } from 'vitest';
import { type AddBrokersDiagnosis, addBrokersOptions, emptyBrokers } from '../../src/runbooks/add-brokers.js';
import {
  type BrokerDownDiagnosis,
  brokerDownFacts,
  brokerDownOptions,
} from '../../src/runbooks/broker-down.js';
import { chooseOption, initialSelection, moveSelection } from '../../src/runbooks/choose.js';
import { type DiskFillingDiagnosis, diskFillingOptions, topTopics } from '../../src/runbooks/disk-filling.js';
import { exitCodeOfVerify, stopReason } from '../../src/runbooks/engine.js';
import type { LifecycleView } from '../../src/runbooks/flink-io.js';
import {
  type RestartLoopDiagnosis,
  restartLoopFindings,
  restartLoopOptions,
} from '../../src/runbooks/restart-loop.js';
import { isStuck, type StuckUpdateDiagnosis, stuckUpdateOptions } from '../../src/runbooks/stuck-update.js';
import type { RunbookOption } from '../../src/runbooks/types.js';

/** The pure decisions of the runbooks: which options apply, which is recommended, what an unattended run may do. */

const allowed: LifecycleView = { allowed: true, refusals: [], explanation: [], latestSnapshot: 'snap-1' };
const refusedNoSnapshot: LifecycleView = {
  allowed: false,
  refusals: ['the application has no READY snapshot'],
  explanation: [],
};
const rec = (opts: RunbookOption[]) => opts.filter((o) => o.available && o.recommended).map((o) => o.id);
const avail = (opts: RunbookOption[]) => opts.filter((o) => o.available).map((o) => o.id);

function loop(over: Partial<RestartLoopDiagnosis> = {}): RestartLoopDiagnosis {
  return {
    app: 'orders',
    kind: 'managed',
    status: 'RUNNING',
    versionId: 2,
    loop: { state: 'loop', restarts: 24, metric: 'fullRestarts', perMinute: [0, 3, 3, 3] },
    firstFailure: {
      verdict: 'user',
      confidence: 0.9,
      subtype: 'npe-in-user-function',
      exception: 'java.lang.NullPointerException',
      source: 'flink-rest',
    },
    recentChange: { operation: 'UpdateApplication', at: '2026-11-22T00:00:00Z' },
    rollback: allowed,
    forceStop: {
      ...allowed,
      restartOptions: [
        { label: 'latest snapshot', restoreType: 'RESTORE_FROM_LATEST_SNAPSHOT', note: 'state as of snap-1' },
      ],
    },
    severity: 'CRITICAL',
    ...over,
  };
}

describe('restart-loop options (the healer ladder by hand)', () => {
  it.each([
    ['loop + user code + a recent change → rollback', loop(), ['rollback']],
    [
      'loop + user code + change, no snapshot → force-stop',
      loop({ rollback: refusedNoSnapshot }),
      ['force-stop'],
    ],
    [
      'loop + system cause → wait (do not roll back healthy code)',
      loop({ firstFailure: { ...loop().firstFailure!, verdict: 'system', subtype: 'taskmanager-lost' } }),
      ['wait'],
    ],
    ['loop + user code without a change → no single recommendation', loop({ recentChange: undefined }), []],
    ['loop + first failure unknown → no single recommendation', loop({ firstFailure: undefined }), []],
    [
      'quiet → nothing to do',
      loop({ loop: { state: 'quiet', restarts: 0, metric: 'fullRestarts', perMinute: [0, 0] } }),
      ['wait'],
    ],
    [
      'one or two restarts → nothing to do',
      loop({ loop: { state: 'restarting', restarts: 2, metric: 'fullRestarts', perMinute: [0, 2] } }),
      ['wait'],
    ],
    [
      'counter unreadable → no recommendation (unknown is not healthy)',
      loop({ loop: { state: 'unknown', restarts: 0, metric: 'fullRestarts', perMinute: [null] } }),
      [],
    ],
  ])('%s', (_name, d, expected) => {
    expect(rec(restartLoopOptions(d))).toEqual(expected);
  });

  it('says rollback needs a snapshot and force-stop takes none', () => {
    const [rollback, forceStop] = restartLoopOptions(loop({ rollback: refusedNoSnapshot }));
    expect(rollback!.available).toBe(false);
    expect(rollback!.unavailableReason).toMatch(/no READY snapshot/);
    expect(forceStop!.consequences.join(' ')).toMatch(/NO snapshot/);
    expect(forceStop!.consequences.join(' ')).toMatch(/Restart option — latest snapshot/);
  });

  it('puts the loop first among the findings', () => {
    expect(restartLoopFindings(loop())[0]).toMatchObject({
      severity: 'CRITICAL',
      text: expect.stringMatching(/restart loop: 24 restarts/),
    });
  });
});

describe('stuck-update: stuck at the timeout, not a millisecond before', () => {
  const T = 20 * 60_000;
  const d = (over: Partial<StuckUpdateDiagnosis>): StuckUpdateDiagnosis => ({
    app: 'orders',
    status: 'UPDATING',
    versionId: 3,
    elapsedMs: T,
    stuckTimeoutMs: T,
    rollback: allowed,
    forceStop: allowed,
    ...over,
  });
  it.each([
    ['UPDATING for timeout − 1 ms', d({ elapsedMs: T - 1 }), false, ['wait']],
    ['UPDATING for exactly the timeout', d({ elapsedMs: T }), true, ['rollback']],
    ['AUTOSCALING past the timeout', d({ status: 'AUTOSCALING', elapsedMs: T + 1 }), true, ['rollback']],
    ['stuck, rollback refused → force-stop', d({ rollback: refusedNoSnapshot }), true, ['force-stop']],
    ['since when unknown → no recommendation', d({ elapsedMs: undefined }), undefined, []],
    ['RUNNING: not stuck', d({ status: 'RUNNING' }), false, ['wait']],
  ])('%s', (_name, diag, stuck, expected) => {
    expect(isStuck(diag)).toBe(stuck);
    expect(rec(stuckUpdateOptions(diag))).toEqual(expected);
  });
});

describe('disk-filling options', () => {
  const base: DiskFillingDiagnosis = {
    cluster: 'prod',
    brokerType: 'standard',
    mskArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/prod/x',
    severity: 'CRITICAL',
    brokers: [],
    findings: [],
    recommendedCapacityBytes: 1100 * 1024 ** 3,
    uneven: false,
    topTopics: [{ topic: 'orders', bytes: 9e11 }],
  };
  const light = {
    plan: {
      version: 1 as const,
      partitions: [{ topic: 'orders', partition: 0, replicas: [2, 3, 4], log_dirs: ['any', 'any', 'any'] }],
    },
    rollback: { version: 1 as const, partitions: [] },
    moves: 1,
    movedBytes: 1e9,
    estimatedDurationMs: 20_000,
  };
  it.each([
    [
      'uneven use with a light plan → rebalance first',
      { ...base, uneven: true, lightPlan: light },
      ['rebalance-light'],
    ],
    ['even use → add storage', base, ['add-storage']],
    [
      'within thresholds → nothing to do',
      { ...base, severity: 'OK' as const, recommendedCapacityBytes: undefined },
      ['none'],
    ],
    ['Express → storage is elastic', { ...base, brokerType: 'express' }, ['none']],
  ])('%s', (_name, d, expected) => {
    expect(rec(diskFillingOptions(d))).toEqual(expected);
  });

  it('says MSK storage cannot shrink and prints the exact UpdateBrokerStorage call', () => {
    const add = diskFillingOptions(base).find((o) => o.id === 'add-storage')!;
    expect(add.consequences.join(' ')).toMatch(/can never be decreased/);
    expect(add.instructions!.join('\n')).toMatch(/update-broker-storage .*"VolumeSizeGB":1100/);
    expect(add.mode).toBe('manual');
  });

  it('ranks topics by bytes on disk (size × replicas)', () => {
    expect(
      topTopics([
        { topic: 'a', replicas: [1, 2, 3], sizeBytes: 10 },
        { topic: 'b', replicas: [1], sizeBytes: 25 },
        { topic: 'a', replicas: [1, 2, 3], sizeBytes: 1 },
      ]),
    ).toEqual([
      { topic: 'a', bytes: 33 },
      { topic: 'b', bytes: 25 },
    ]);
  });
});

describe('broker-down', () => {
  const snap = {
    version: 1 as const,
    cluster: 'c',
    capturedAt: '2026-11-22T00:00:00Z',
    brokers: [{ id: 1 }, { id: 2 }, { id: 3, offline: true }, { id: 4 }],
    partitions: [
      { topic: 't', partition: 0, replicas: [1, 3], leader: 1, sizeBytes: 100 },
      { topic: 't', partition: 1, replicas: [3], leader: -1, sizeBytes: 50 },
      { topic: 't', partition: 2, replicas: [2, 4], leader: 2, sizeBytes: 10 },
    ],
  };
  it('finds the down broker, what it held and the offline partitions', () => {
    expect(brokerDownFacts(snap)).toEqual({
      down: [3],
      live: [1, 2, 4],
      replicasOnDown: 2,
      bytesOnDown: 150,
      maxRf: 2,
      offline: ['t-1'],
    });
  });

  const d = (over: Partial<BrokerDownDiagnosis>): BrokerDownDiagnosis => ({
    cluster: 'c',
    brokerType: 'self-managed',
    liveBrokers: [1, 2, 4],
    downBrokers: [3],
    partitions: 3,
    offline: [],
    offlineCount: 0,
    underReplicated: 1,
    underMinIsr: 0,
    replicasOnDown: 1,
    bytesOnDown: 100,
    maxReplicationFactor: 2,
    ...over,
  });
  it.each([
    ['a broker down → bring it back', d({}), ['restart-broker'], ['restart-broker', 'wait']],
    [
      'with a drain plan → moving its replicas is possible, not recommended',
      d({
        drainPlan: {
          plan: { version: 1, partitions: [] },
          rollback: { version: 1, partitions: [] },
          moves: 1,
          movedBytes: 100,
          estimatedDurationMs: null,
        },
      }),
      ['restart-broker'],
      ['restart-broker', 'reassign-off', 'wait'],
    ],
    ['all up → nothing to do', d({ downBrokers: [], underReplicated: 0 }), ['wait'], ['wait']],
  ])('%s', (_name, diag, expected, available) => {
    expect(rec(brokerDownOptions(diag))).toEqual(expected);
    expect(avail(brokerDownOptions(diag))).toEqual(available);
  });

  it('explains why its replicas cannot move while a partition has no leader', () => {
    const o = brokerDownOptions(d({ offlineCount: 1, offline: ['t-1'] })).find(
      (x) => x.id === 'reassign-off',
    )!;
    expect(o.unavailableReason).toMatch(/no leader/);
  });
});

describe('add-brokers', () => {
  const d = (over: Partial<AddBrokersDiagnosis>): AddBrokersDiagnosis => ({
    cluster: 'c',
    brokerType: 'standard',
    brokers: [],
    newBrokers: [4],
    newBrokersFrom: 'empty-brokers',
    throttleBytesPerSec: 50e6,
    warnings: [],
    plan: { plan: { version: 1, partitions: [] }, rollback: { version: 1, partitions: [] } },
    ...over,
  });
  it.each([
    ['a plan and no interlock → execute, throttled', d({}), ['execute']],
    [
      'intelligent rebalancing ACTIVE → pause it first (execute refused)',
      d({ intelligentRebalancing: 'ACTIVE' }),
      ['pause-intelligent-rebalancing'],
    ],
    ['no new broker → nothing to do', d({ newBrokers: [], plan: undefined }), ['none']],
  ])('%s', (_name, diag, expected) => {
    expect(rec(addBrokersOptions(diag))).toEqual(expected);
  });

  it('names the interlock when execute is refused', () => {
    expect(addBrokersOptions(d({ intelligentRebalancing: 'ACTIVE' }))[0]!.unavailableReason).toMatch(
      /pause it first/,
    );
  });

  it('treats live brokers without replicas as the new ones', () => {
    expect(
      emptyBrokers([{ id: 1 }, { id: 2 }, { id: 5 }, { id: 6, offline: true }], [{ replicas: [1, 2] }]),
    ).toEqual([5]);
  });
});

describe('unattended choice', () => {
  const opt = (id: string, over: Partial<RunbookOption> = {}): RunbookOption => ({
    id,
    title: id,
    mode: 'automatic',
    destructive: true,
    consequences: [],
    available: true,
    ...over,
  });
  const options = [
    opt('rollback', { recommended: true }),
    opt('force-stop', { available: false, unavailableReason: 'status is READY' }),
    opt('wait', { mode: 'none', destructive: false }),
  ];
  it.each([
    ['recommended + --yes → act', { yes: true, dryRun: false }, 'act'],
    ['recommended without --yes → needs --yes', { yes: false, dryRun: false }, 'needs-yes'],
    ['--dry-run never acts, even with --yes', { yes: true, dryRun: true }, 'dry-run'],
    [
      '--option wait changes nothing: no --yes needed',
      { yes: false, dryRun: false, requested: 'wait' },
      'act',
    ],
    [
      '--option of an unavailable option → refused',
      { yes: true, dryRun: false, requested: 'force-stop' },
      'unavailable',
    ],
    ['--option unknown → usage', { yes: true, dryRun: false, requested: 'reboot' }, 'unknown-option'],
  ])('%s', (_name, flags, kind) => {
    expect(chooseOption({ options, ...flags }).kind).toBe(kind);
  });

  it('without a single recommendation asks for --option', () => {
    const c = chooseOption({
      options: options.map((o) => ({ ...o, recommended: false })),
      yes: true,
      dryRun: false,
    });
    expect(c).toEqual({ kind: 'no-recommendation', available: ['rollback', 'wait'] });
  });

  it.each([
    ['needs-yes', 64, /--yes/],
    ['unavailable', 75, /status is READY/],
  ] as const)('%s stops with exit %i and says why', (kind, code, hint) => {
    const c =
      kind === 'needs-yes'
        ? chooseOption({ options, yes: false, dryRun: false })
        : chooseOption({ options, yes: true, dryRun: false, requested: 'force-stop' });
    const r = stopReason(c as Parameters<typeof stopReason>[0], { id: 'restart-loop' });
    expect(r.exitCode).toBe(code);
    expect(`${r.message} ${r.hint ?? ''}`).toMatch(hint);
  });

  it.each([
    ['healed', 'CRITICAL', 0],
    ['failed', 'CRITICAL', 2],
    ['unknown', 'OK', 3],
    ['timeout', 'OK', 75],
    ['not-needed', 'WARNING', 1],
  ] as const)('verify %s after a %s diagnosis → exit %i', (outcome, sev, code) => {
    expect(exitCodeOfVerify(outcome, sev)).toBe(code);
  });

  it('the picker starts on the recommended option and skips unavailable ones', () => {
    expect(initialSelection(options)).toBe(0);
    expect(moveSelection(options, 0, 1)).toBe(2);
    expect(moveSelection(options, 2, 1)).toBe(2);
    expect(moveSelection(options, 2, -1)).toBe(0);
  });
});
