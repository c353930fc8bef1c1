/**
 * `kafka rebalance execute | status | cancel`: files, locks, MSK interlock and the executor wired
 * together. One execution per cluster, in `<stateDir>/rebalance/<cluster>/state.json`; the
 * cluster's lock `kafka:<cluster>` in the coordination store (src/store/target-lock.ts, shared
 * with the healer, runbooks and other hosts on a PostgreSQL store) is held for the whole run, so
 * a second execute or a runbook refuses, naming the holder. A `cancel` while an executor is
 * running asks it (a request file it polls) to revert and clean up itself; with no executor
 * alive, cancel does the work directly. Both are journaled as operator actions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { KafkaCluster } from '../config/sections/kafka.js';
import type { Clock } from '../core/clock.js';
import { StreamctlError, tempFailure } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import { readInputFile } from '../core/input.js';
import { parseReassignment, type Reassignment } from '../domain/reassignment.js';
import type { KafkaAdminPort } from '../probes/kafka-admin/port.js';
import type { BatchingOptions } from '../rebalancer/batching.js';
import { type CoordinationStore, targetKey } from '../store/index.js';
import { acquireTargetLock, journaled } from '../store/target-lock.js';
import { clusterConfig } from './kafka-observe.js';
import { buildExecutionState, readLiveFacts } from './rebalance-exec/execution-prepare.js';
import { type ExecutionState, fileStateStore, isActive } from './rebalance-exec/execution-state.js';
import {
  cancelExecution,
  type ExecEvent,
  type ExecutorTuning,
  runExecution,
} from './rebalance-exec/executor.js';
import { interlockError } from './rebalance-exec/interlocks.js';
import { type DryRunBatch, dryRunBatches, type ExecutionSummary, summarize } from './rebalance-summary.js';
import { forceUnlock, liveHolder, storeFor, storeForReading } from './target-locks.js';

/** The files of one cluster's execution, and its lock's key in the store. */
export interface RebalancePaths {
  dir: string;
  state: string;
  cancelRequest: string;
  /** `kafka:<cluster>`. */
  lock: string;
}

/** `<stateDir>/rebalance/<cluster>/{state.json,cancel.request}` and the cluster lock. */
export function rebalancePaths(stateDir: string, cluster: string): RebalancePaths {
  const dir = join(stateDir, 'rebalance', cluster);
  return {
    dir,
    state: join(dir, 'state.json'),
    cancelRequest: join(dir, 'cancel.request'),
    lock: targetKey('kafka', cluster),
  };
}

/** The I/O the service needs: the commands pass cli/rebalance-deps.ts's, tests a fake admin and a virtual clock. */
export interface RebalanceDeps {
  openAdmin(cluster: KafkaCluster, config: Config): Promise<KafkaAdminPort>;
  /** Express intelligent rebalancing status (`ACTIVE`/`PAUSED`) for an MSK cluster. */
  mskRebalancing?(cluster: KafkaCluster, config: Config): Promise<string | undefined>;
  clock: Clock;
  /** The coordination store of the locks and the operator journal (default: healer.store). */
  openStore?(config: Config): Promise<CoordinationStore>;
}

/** What `execute` is asked to do. */
export interface ExecuteRequest {
  cluster: string;
  planFile: string;
  stateDir: string;
  throttleBytesPerSec?: number;
  batching: Partial<BatchingOptions>;
  dryRun: boolean;
  /** Asked once the batches are known (the command prompts or checks --yes). */
  confirm(question: string): Promise<void>;
  emit(e: ExecEvent): void;
  tuning?: Partial<ExecutorTuning>;
  /** `--force-unlock`: remove the cluster's lock first (after its own confirmation). */
  forceUnlock?: boolean;
}

/** The outcome of `execute`. */
export interface ExecuteResult extends ExecutionSummary {
  dryRun: boolean;
  resumed: boolean;
  /** Dry run only: the batches and the throttle configs they would set. */
  plannedBatches?: DryRunBatch[];
}

function readPlan(file: string): { plan: Reassignment; hash: string; rollback?: Reassignment } {
  const text = readInputFile(file, 'plan');
  const plan = parseReassignment(text, file);
  const hash = createHash('sha256').update(text).digest('hex');
  // The planner's rollback file beside the plan is its assumed "before" (stale-plan check).
  const rbFile = `${file.endsWith('.json') ? file.slice(0, -5) : file}.rollback.json`;
  const rollback = existsSync(rbFile) ? parseReassignment(readInputFile(rbFile, 'plan'), rbFile) : undefined;
  return { plan, hash, ...(rollback ? { rollback } : {}) };
}

async function checkMsk(cluster: KafkaCluster, config: Config, deps: RebalanceDeps): Promise<void> {
  if (!cluster.msk || !deps.mskRebalancing) return;
  const status = await deps.mskRebalancing(cluster, config);
  if (status === 'ACTIVE')
    throw interlockError({ kind: 'msk-rebalancing-active', clusterArn: cluster.msk.arn });
}

async function refuseIfLocked(store: CoordinationStore, paths: RebalancePaths, now: number): Promise<void> {
  const held = await liveHolder(store, paths.lock, now);
  if (held && held.pid !== process.pid)
    throw interlockError({ kind: 'locked', holder: held, store: store.location });
}

/** Runs fn with the store of the locks open. */
async function withStore<T>(
  config: Config,
  d: RebalanceDeps,
  fn: (s: CoordinationStore) => Promise<T>,
  readOnly = false,
): Promise<T> {
  const store = await (d.openStore ?? (readOnly ? storeForReading : storeFor))(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Runs (or resumes) the plan on the cluster; with dryRun, only says what it would do. */
export async function executeRebalance(
  config: Config,
  req: ExecuteRequest,
  d: RebalanceDeps,
): Promise<ExecuteResult> {
  return withStore(config, d, (locks) => execute(config, req, d, locks), req.dryRun);
}

/** Everything an execution needs before it touches the cluster, checked in this order. */
interface Prepared {
  cluster: KafkaCluster;
  paths: RebalancePaths;
  store: ReturnType<typeof fileStateStore>;
  plan: Reassignment;
  hash: string;
  rollback?: Reassignment;
  existing: ExecutionState | undefined;
  /** An unfinished execution of the same plan is picked up where it stopped. */
  resumed: boolean;
}

async function execute(
  config: Config,
  req: ExecuteRequest,
  d: RebalanceDeps,
  locks: CoordinationStore,
): Promise<ExecuteResult> {
  const p = await prepare(config, req, d, locks);
  const admin = await d.openAdmin(p.cluster, config);
  try {
    const state = await startingState(p, req, admin, d.clock);
    if (req.dryRun)
      return {
        ...summarize(state, p.paths.state),
        dryRun: true,
        resumed: p.resumed,
        plannedBatches: dryRunBatches(state),
      };
    const s = summarize(state, p.paths.state);
    await req.confirm(
      `${p.resumed ? 'Resume' : 'Execute'} the rebalance of ${p.cluster.name}: ${s.partitions} partition(s), ${s.batches} batch(es), ${s.bytesTotal} bytes to copy` +
        `${state.throttles.rateBytesPerSec ? ` at ${state.throttles.rateBytesPerSec} B/s` : ' UNTHROTTLED'}` +
        `${s.logDirs ? `, then ${s.logDirs.total} replica(s) into their planned log dir` : ''}?`,
    );
    return await runLocked(config, req, d, locks, p, admin, state);
  } finally {
    await admin.close();
  }
}

/**
 * Reads the plan, takes the lock over (--force-unlock) or refuses a held one, refuses while MSK
 * rebalances the cluster, and refuses another unfinished execution of a different plan.
 */
async function prepare(
  config: Config,
  req: ExecuteRequest,
  d: RebalanceDeps,
  locks: CoordinationStore,
): Promise<Prepared> {
  const cluster = clusterConfig(config, req.cluster);
  const paths = rebalancePaths(req.stateDir, cluster.name);
  const store = fileStateStore(paths.state);
  const { plan, hash, rollback } = readPlan(req.planFile);
  if (req.forceUnlock && !req.dryRun) await forceUnlock(locks, paths.lock, req.confirm, () => d.clock.now());
  await refuseIfLocked(locks, paths, d.clock.now());
  await checkMsk(cluster, config, d);
  const existing = store.load();
  const resumed = existing !== undefined && isActive(existing.phase);
  if (resumed && existing.planHash !== hash)
    throw interlockError({ kind: 'other-execution', planFile: existing.planFile, phase: existing.phase });
  return { cluster, paths, store, plan, hash, ...(rollback ? { rollback } : {}), existing, resumed };
}

/** The resumed state (a new --throttle replaces the recorded rate), or a fresh one from the live facts. */
async function startingState(
  p: Prepared,
  req: ExecuteRequest,
  admin: KafkaAdminPort,
  clock: Clock,
): Promise<ExecutionState> {
  if (p.resumed && p.existing) {
    // A new --throttle on resume replaces the recorded rate (set again before the next moves).
    const rate = req.throttleBytesPerSec;
    return rate !== undefined && rate !== p.existing.throttles.rateBytesPerSec
      ? { ...p.existing, throttles: { ...p.existing.throttles, rateBytesPerSec: rate } }
      : p.existing;
  }
  const live = await readLiveFacts(admin, p.plan);
  return buildExecutionState(
    {
      cluster: p.cluster.name,
      planFile: req.planFile,
      planHash: p.hash,
      plan: p.plan,
      ...(p.rollback ? { assumedBefore: p.rollback } : {}),
      batching: req.batching,
      throttleBytesPerSec: req.throttleBytesPerSec ?? null,
      now: clock.now(),
      id: randomBytes(6).toString('hex'),
    },
    live,
  );
}

/**
 * Runs the execution under the cluster's lock, journaled before and after: a finished earlier
 * execution's state is kept beside it, a stale cancel request is dropped first.
 */
async function runLocked(
  config: Config,
  req: ExecuteRequest,
  d: RebalanceDeps,
  locks: CoordinationStore,
  p: Prepared,
  admin: KafkaAdminPort,
  state: ExecutionState,
): Promise<ExecuteResult> {
  const { paths, store, cluster } = p;
  const lock = await acquireTargetLock(locks, {
    target: paths.lock,
    owner: 'streamctl kafka rebalance execute',
    now: d.clock.now(),
  });
  try {
    if (!p.resumed && p.existing) renameSync(paths.state, join(paths.dir, `${p.existing.id}.json`));
    rmSync(paths.cancelRequest, { force: true });
    store.save(state);
    const action = { actor: 'cli', target: paths.lock, action: 'rebalance execute', detail: req.planFile };
    const final = await journaled(
      locks,
      action,
      () => d.clock.now(),
      () =>
        runExecution(
          state,
          {
            admin,
            store,
            clock: d.clock,
            emit: req.emit,
            cancelRequested: () => existsSync(paths.cancelRequest),
            ...(d.mskRebalancing ? { beforeBatch: () => checkMsk(cluster, config, d) } : {}),
          },
          req.tuning,
        ),
      (f) => `phase ${f.phase}`,
    );
    rmSync(paths.cancelRequest, { force: true });
    return { ...summarize(final, paths.state), dryRun: false, resumed: p.resumed };
  } finally {
    await lock.release();
  }
}

/** `status`: the saved execution plus the reassignments Kafka reports right now. */
export async function rebalanceStatus(
  config: Config,
  req: { cluster: string; stateDir: string },
  d: RebalanceDeps,
) {
  const cluster = clusterConfig(config, req.cluster);
  const paths = rebalancePaths(req.stateDir, cluster.name);
  const state = fileStateStore(paths.state).load();
  const holder = await withStore(config, d, (locks) => liveHolder(locks, paths.lock, d.clock.now()), true);
  const admin = await d.openAdmin(cluster, config);
  try {
    const ongoing = await admin.listPartitionReassignments();
    return {
      cluster: cluster.name,
      execution: state ? summarize(state, paths.state) : null,
      running: holder?.owner.includes('rebalance execute') === true,
      lockHolder: holder ?? null,
      ongoing: ongoing.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        adding: o.addingReplicas,
        removing: o.removingReplicas,
      })),
    };
  } finally {
    await admin.close();
  }
}

/** What `cancel` is asked to do. */
export interface CancelRequest {
  cluster: string;
  stateDir: string;
  confirm(q: string): Promise<void>;
  emit(e: ExecEvent): void;
  waitMs?: number;
  tuning?: Partial<ExecutorTuning>;
}

/** The result of `status`. */
export type RebalanceStatus = Awaited<ReturnType<typeof rebalanceStatus>>;

/**
 * `cancel`: reverts in-flight moves, clears throttles, marks the execution cancelled. When an
 * executor process is running it is asked to do so and this waits for it (up to waitMs).
 */
export async function cancelRebalance(
  config: Config,
  req: CancelRequest,
  d: RebalanceDeps,
): Promise<ExecutionSummary & { via: 'executor' | 'direct' }> {
  return withStore(config, d, (locks) => cancel(config, req, d, locks));
}

async function cancel(
  config: Config,
  req: CancelRequest,
  d: RebalanceDeps,
  locks: CoordinationStore,
): Promise<ExecutionSummary & { via: 'executor' | 'direct' }> {
  const cluster = clusterConfig(config, req.cluster);
  const paths = rebalancePaths(req.stateDir, cluster.name);
  const store = fileStateStore(paths.state);
  const state = store.load();
  if (!state)
    throw new StreamctlError(
      'NOTHING_TO_CANCEL',
      `no rebalance execution recorded for ${cluster.name} (${paths.state})`,
      { exitCode: Sysexit.DATAERR },
    );
  if (!isActive(state.phase)) return { ...summarize(state, paths.state), via: 'direct' };
  await req.confirm(
    `Cancel the rebalance of ${cluster.name} (phase ${state.phase}): in-flight moves are reverted, throttles cleared?`,
  );
  const holder = await liveHolder(locks, paths.lock, d.clock.now());
  if (holder && holder.pid !== process.pid) {
    writeFileSync(paths.cancelRequest, new Date(d.clock.now()).toISOString());
    const deadline = d.clock.now() + (req.waitMs ?? 300_000);
    for (;;) {
      const s = store.load()!;
      if (
        !isActive(s.phase) ||
        (s.phase === 'failed' && !(await liveHolder(locks, paths.lock, d.clock.now())))
      )
        return { ...summarize(s, paths.state), via: 'executor' };
      if (d.clock.now() >= deadline) {
        throw tempFailure(
          `the running executor (${holder.owner}, pid ${holder.pid} on ${holder.host}) has not finished cancelling yet`,
          'Check with `kafka rebalance status`.',
        );
      }
      await d.clock.sleep(500);
    }
  }
  const lock = await acquireTargetLock(locks, {
    target: paths.lock,
    owner: 'streamctl kafka rebalance cancel',
    now: d.clock.now(),
  });
  const admin = await d.openAdmin(cluster, config);
  try {
    const final = await journaled(
      locks,
      { actor: 'cli', target: paths.lock, action: 'rebalance cancel' },
      () => d.clock.now(),
      () => cancelExecution(state, { admin, store, clock: d.clock, emit: req.emit }, req.tuning),
      (f) => `phase ${f.phase}`,
    );
    rmSync(paths.cancelRequest, { force: true });
    return { ...summarize(final, paths.state), via: 'direct' };
  } finally {
    await lock.release();
    await admin.close();
  }
}
