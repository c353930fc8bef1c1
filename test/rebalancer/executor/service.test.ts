import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load.js';

import { formatReassignment } from '../../../src/rebalancer/plan.js';
import {
  cancelRebalance,
  executeRebalance,
  rebalancePaths,
  rebalanceStatus,
} from '../../../src/services/rebalance.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import { FakeKafkaAdmin } from '../../fakes/kafka-admin/fake.js';
import { holdLockInChild } from '../../store/lock-holder.js';

import { DrivingClock, PLAN, ROLLBACK, scaleOut, throttleLeftovers } from './helpers.js';

const config = parseConfigText(
  [
    'kafka:',
    '  clusters:',
    '    - name: local',
    '      bootstrap: ["127.0.0.1:9092"]',
    '    - name: express',
    '      msk: { arn: "arn:aws:kafka:us-east-1:123456789012:cluster/x/1" }',
  ].join('\n'),
  'streamctl.yaml',
);

function world(rebalancing?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'rebal-svc-'));
  const planFile = join(dir, 'plan.json');
  writeFileSync(planFile, formatReassignment(PLAN));
  writeFileSync(join(dir, 'plan.rollback.json'), formatReassignment(ROLLBACK));
  const fake = FakeKafkaAdmin.fromSnapshot(scaleOut());
  const clock = new DrivingClock(fake, 2);
  const storeFile = join(dir, 'store.db');
  const deps = {
    openAdmin: async () => fake,
    mskRebalancing: async () => rebalancing,
    clock,
    openStore: async () => new SqliteStore(storeFile),
  };
  const req = (over = {}) => ({
    cluster: 'local',
    planFile,
    stateDir: join(dir, 'state'),
    throttleBytesPerSec: 10_000_000,
    batching: { maxPerBroker: 2 },
    dryRun: false,
    confirm: async () => undefined,
    emit: () => undefined,
    tuning: { pollMs: 1000 },
    ...over,
  });
  return { dir, planFile, fake, deps, req, storeFile };
}

describe('kafka rebalance execute / status / cancel (service over the fake cluster)', () => {
  it('dry run: the batches and the throttle configs, nothing changed, no state written', async () => {
    const w = world();
    const r = await executeRebalance(config, w.req({ dryRun: true }), w.deps);
    expect(r.dryRun).toBe(true);
    expect(r.plannedBatches!.length).toBeGreaterThan(1);
    expect(r.plannedBatches![0]!.throttleConfigs.map((c) => `${c.type}:${c.name}`)).toContain('broker:4');
    expect(await throttleLeftovers(w.fake)).toEqual([]);
    expect(await w.fake.listPartitionReassignments()).toEqual([]);
    expect(existsSync(rebalancePaths(join(w.dir, 'state'), 'local').state)).toBe(false);
  });

  it('a dry run and a status read the store without creating it', async () => {
    const w = world();
    const file = join(w.dir, 'never-created', 'store.db');
    const cfg = parseConfigText(
      [
        'healer:',
        `  journal: ${JSON.stringify(file)}`,
        'kafka:',
        '  clusters:',
        '    - name: local',
        '      bootstrap: ["127.0.0.1:9092"]',
      ].join('\n'),
      'streamctl.yaml',
    );
    const { openStore: _ignored, ...deps } = w.deps;
    expect((await executeRebalance(cfg, w.req({ dryRun: true }), deps)).dryRun).toBe(true);
    expect(
      (await rebalanceStatus(cfg, { cluster: 'local', stateDir: join(w.dir, 'state') }, deps)).lockHolder,
    ).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('executes, writes the state file, releases the lock; status then shows done', async () => {
    const w = world();
    const r = await executeRebalance(config, w.req(), w.deps);
    expect(r).toMatchObject({
      phase: 'done',
      resumed: false,
      movesPending: 0,
      throttlesSet: { brokers: [], topics: [] },
    });
    expect(await throttleLeftovers(w.fake)).toEqual([]);
    const paths = rebalancePaths(join(w.dir, 'state'), 'local');
    expect(JSON.parse(readFileSync(paths.state, 'utf8')).phase).toBe('done');
    const store = new SqliteStore(w.storeFile);
    expect(await store.readLock(paths.lock)).toBeUndefined();
    expect((await store.operatorActions()).map((a) => [a.target, a.action, a.outcome?.status])).toEqual([
      ['kafka:local', 'rebalance execute', 'done'],
    ]);
    await store.close();
    const st = await rebalanceStatus(config, { cluster: 'local', stateDir: join(w.dir, 'state') }, w.deps);
    expect(st).toMatchObject({ execution: { phase: 'done' }, running: false, ongoing: [] });
  });

  it('a second execute of the same finished plan has nothing left to move', async () => {
    const w = world();
    await executeRebalance(config, w.req(), w.deps);
    const again = await executeRebalance(config, w.req(), w.deps);
    expect(again).toMatchObject({ phase: 'done', partitions: 0, alreadyInPlace: 5 });
  });

  it('refuses a stale plan, naming the partition (exit 65), and writes nothing', async () => {
    const w = world();
    await w.fake.alterPartitionReassignments([{ topic: 'orders', partition: 1, replicas: [1, 3, 2] }]);
    w.fake.completeReassignments();
    await expect(executeRebalance(config, w.req(), w.deps)).rejects.toMatchObject({
      exitCode: 65,
      message: expect.stringMatching(/orders-1 is on \[1,3,2\], the plan assumed \[2,3,1\]/),
    });
    expect(existsSync(rebalancePaths(join(w.dir, 'state'), 'local').state)).toBe(false);
  });

  it('refuses while MSK intelligent rebalancing is ACTIVE and explains how to pause it', async () => {
    const w = world('ACTIVE');
    await expect(executeRebalance(config, w.req({ cluster: 'express' }), w.deps)).rejects.toMatchObject({
      exitCode: 75,
      hint: expect.stringContaining('Status=PAUSED'),
    });
  });

  it.each(['PAUSED', undefined])('runs when MSK intelligent rebalancing is %s', async (status) => {
    const w = world(status);
    expect((await executeRebalance(config, w.req({ cluster: 'express' }), w.deps)).phase).toBe('done');
  });

  it('refuses while another live process holds the cluster lock in the store, naming it', async () => {
    const w = world();
    // A real second process takes kafka:local through the store (as a runbook or another execute does).
    const holder = await holdLockInChild(w.storeFile, 'kafka:local', 'streamctl runbook add-brokers');
    try {
      await expect(executeRebalance(config, w.req(), w.deps)).rejects.toThrow(
        new RegExp(
          `streamctl runbook add-brokers \\(pid ${holder.pid} on .*, since .*\\) is acting on this cluster`,
        ),
      );
      const st = await rebalanceStatus(config, { cluster: 'local', stateDir: join(w.dir, 'state') }, w.deps);
      expect(st.lockHolder).toMatchObject({ owner: 'streamctl runbook add-brokers', pid: holder.pid });
    } finally {
      await holder.kill();
    }
    // Its process is gone: the stale lock is taken over (crash recovery), the run goes through.
    expect((await executeRebalance(config, w.req(), w.deps)).phase).toBe('done');
  });

  it('--force-unlock removes a live holder after its own confirmation, journaled', async () => {
    const w = world();
    const holder = await holdLockInChild(w.storeFile, 'kafka:local', 'streamctl kafka rebalance execute');
    try {
      const questions: string[] = [];
      const r = await executeRebalance(
        config,
        w.req({ forceUnlock: true, confirm: async (q: string) => void questions.push(q) }),
        w.deps,
      );
      expect(r.phase).toBe('done');
      expect(questions[0]).toMatch(
        /Remove the lock of kafka:local held by streamctl kafka rebalance execute \(pid \d+/,
      );
      const store = new SqliteStore(w.storeFile);
      expect((await store.operatorActions()).map((a) => a.action)).toEqual([
        'force-unlock',
        'rebalance execute',
      ]);
      await store.close();
    } finally {
      await holder.kill();
    }
  });

  it('checks before every batch: a reassignment another tool started meanwhile stops it (75), resumable', async () => {
    const w = world();
    let injected = false;
    const r = await executeRebalance(
      config,
      w.req({
        emit: (e: { type: string }) => {
          if (e.type === 'batch-done' && !injected) {
            injected = true;
            void w.fake.alterPartitionReassignments([{ topic: 'clicks', partition: 2, replicas: [5, 2, 1] }]);
          }
        },
      }),
      w.deps,
    ).catch((e) => e);
    expect(r).toMatchObject({
      exitCode: 75,
      message: expect.stringMatching(/already in progress .*clicks-2/),
    });
    w.fake.completeReassignments();
    expect((await executeRebalance(config, w.req(), w.deps)).phase).toBe('done');
  });

  it('checks before every batch: MSK intelligent rebalancing turned ACTIVE meanwhile stops it', async () => {
    const w = world();
    let status: string | undefined = 'PAUSED';
    const deps = { ...w.deps, mskRebalancing: async () => status };
    const r = await executeRebalance(
      config,
      w.req({
        cluster: 'express',
        emit: (e: { type: string }) => {
          if (e.type === 'batch-done') status = 'ACTIVE';
        },
      }),
      deps,
    ).catch((e) => e);
    expect(r).toMatchObject({
      exitCode: 75,
      message: expect.stringMatching(/intelligent rebalancing is ACTIVE/),
    });
  });

  it('refuses to start another plan while one is unfinished', async () => {
    const w = world();
    const died = await executeRebalance(
      config,
      w.req({
        emit: (e: { type: string }) => {
          if (e.type === 'submitted') throw new Error('killed');
        },
      }),
      w.deps,
    ).catch((e) => e);
    expect(died).toBeInstanceOf(Error);
    const other = join(w.dir, 'other.json');
    writeFileSync(
      other,
      formatReassignment({
        version: 1,
        partitions: [{ topic: 'clicks', partition: 2, replicas: [4, 2, 1] }],
      }),
    );
    await expect(executeRebalance(config, w.req({ planFile: other }), w.deps)).rejects.toThrow(
      /another rebalance .* is unfinished/,
    );
    const cancelled = await cancelRebalance(
      config,
      {
        cluster: 'local',
        stateDir: join(w.dir, 'state'),
        confirm: async () => undefined,
        emit: () => undefined,
      },
      w.deps,
    );
    expect(cancelled).toMatchObject({ phase: 'cancelled', via: 'direct' });
    expect(await w.fake.listPartitionReassignments()).toEqual([]);
    expect(await throttleLeftovers(w.fake)).toEqual([]);
  });
});
