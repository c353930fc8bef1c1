/**
 * A real Flink 1.20 standalone session cluster on loopback: one JobManager
 * (StandaloneSessionClusterEntrypoint) and one TaskManager (TaskManagerRunner) as separate JVMs, so
 * a test can kill -9 the TaskManager ("TaskManager loss") and start another one.
 *
 *   startFlinkCluster ──▶ config.yaml ──▶ JobManager ──▶ TaskManager ──▶ GET /overview shows slots
 *                                              ▲              │ killTaskManager() (SIGKILL)
 *                                              └──────────────┘ startTaskManager() (new resource id)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unavailable } from '../../../../src/core/errors.js';
import {
  flinkConfig,
  JOBMANAGER_MAIN,
  jobManagerJvmFlags,
  renderConfigYaml,
  TASKMANAGER_MAIN,
  taskManagerJvmFlags,
} from './config.js';
import { flinkInstall } from './install.js';
import { freeLoopbackPorts } from './ports.js';
import { type FlinkJvm, type ProcessHooks, signal, spawnJvm, stopJvm, tailFile } from './process.js';

/** Options of `startFlinkCluster`. */
export interface FlinkClusterOptions extends ProcessHooks {
  /** Where config, logs, checkpoints and savepoints go; a fresh temp dir (removed by stop()) by default. */
  baseDir?: string;
  /** REST port on 127.0.0.1 (default: a free port). */
  restPort?: number;
  /** Slots of the TaskManager (default 4). */
  taskSlots?: number;
  /** Heap of each JVM in MB (default 256). */
  heapMb?: number;
  /** fixed-delay restart strategy delay (default 1000 ms). */
  restartDelayMs?: number;
  /** How long to wait for the TaskManager to register (default 180 s: 2 loaded cores are slow). */
  readyTimeoutMs?: number;
  /** SIGTERM grace before SIGKILL in stop() (default 5 s). */
  stopGraceMs?: number;
  /** config.yaml entries that override the defaults. */
  extraConfig?: Record<string, string | number | boolean>;
  /** Where the fetched jars are (default: the peer cache, see install.ts). */
  installDir?: string;
}

/** One JVM of the cluster, as plain JSON. */
export interface FlinkProcessInfo {
  pid: number;
  /** log4j log (the "X switched from A to B." lines). */
  logFile: string;
  /** stdout/stderr of the JVM (JVM crashes, GC trouble). */
  outFile: string;
}

/** A sandbox cluster, as plain JSON. */
export interface FlinkClusterInfo {
  restUrl: string;
  flinkVersion: string;
  baseDir: string;
  configFile: string;
  jobJar: string;
  checkpointDir: string;
  savepointDir: string;
  taskSlots: number;
  jobManager: FlinkProcessInfo;
  taskManager: FlinkProcessInfo & { resourceId: string };
}

/** A running sandbox cluster: its description plus the fault and lifecycle controls. */
export interface FlinkCluster extends FlinkClusterInfo {
  /** A plain-JSON copy of the current state (the TaskManager PID changes on restart). */
  info(): FlinkClusterInfo;
  /** SIGKILL the TaskManager and wait until it has exited (the JobManager notices by heartbeat). */
  killTaskManager(): Promise<void>;
  /** Starts a new TaskManager (a new resource id) and waits until it has registered. */
  startTaskManager(): Promise<FlinkProcessInfo & { resourceId: string }>;
  /** Stops both JVMs (SIGTERM, then SIGKILL) and removes a temp baseDir. */
  stop(): Promise<void>;
}

/** Starts a session cluster and resolves once a TaskManager with slots is registered. */
export async function startFlinkCluster(opts: FlinkClusterOptions = {}): Promise<FlinkCluster> {
  try {
    return await launch(opts);
  } catch (e) {
    // A free port can be taken between choosing it and the JVM binding it: one retry with new ports.
    if (
      opts.restPort === undefined &&
      /Address already in use|BindException/.test(String((e as Error).message))
    )
      return launch(opts);
    throw e;
  }
}

async function launch(opts: FlinkClusterOptions): Promise<FlinkCluster> {
  const install = flinkInstall(opts.installDir);
  const ownsDir = opts.baseDir === undefined;
  const baseDir = opts.baseDir ?? mkdtempSync(join(tmpdir(), 'streamctl-flink-'));
  const confDir = join(baseDir, 'conf');
  const logDir = join(baseDir, 'log');
  const checkpointDir = join(baseDir, 'checkpoints');
  const savepointDir = join(baseDir, 'savepoints');
  for (const d of [confDir, logDir, checkpointDir, savepointDir, join(baseDir, 'work')])
    mkdirSync(d, { recursive: true });
  const [restFree, rpcPort] = await freeLoopbackPorts(2);
  const restPort = opts.restPort ?? (restFree as number);
  const taskSlots = opts.taskSlots ?? 4;
  const heapMb = opts.heapMb ?? 256;
  const configFile = join(confDir, 'config.yaml');
  const entries = flinkConfig({
    restPort,
    rpcPort: rpcPort as number,
    taskSlots,
    heapMb,
    restartDelayMs: opts.restartDelayMs ?? 1000,
    checkpointDir,
    savepointDir,
    workDir: join(baseDir, 'work'),
    ...(opts.extraConfig ? { extra: opts.extraConfig } : {}),
  });
  writeFileSync(configFile, renderConfigYaml(entries));
  const restUrl = `http://127.0.0.1:${restPort}`;
  const graceMs = opts.stopGraceMs ?? 5000;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 180_000;

  const jmLog = join(logDir, 'jobmanager.log');
  const jmOut = join(logDir, 'jobmanager.out');
  const jm = spawnJvm(
    install.java,
    jobManagerJvmFlags(heapMb, jmLog, install.log4jConfig),
    install.classpath,
    JOBMANAGER_MAIN,
    ['--configDir', confDir],
    {
      outFile: jmOut,
      label: `flink jobmanager :${restPort}`,
      ...hooks(opts),
    },
  );
  let tmCount = 0;
  let tm: { jvm: FlinkJvm; info: FlinkProcessInfo & { resourceId: string } } | undefined;
  const spawnTm = () => {
    tmCount++;
    const resourceId = `taskmanager-${tmCount}`;
    const logFile = join(logDir, `${resourceId}.log`);
    const outFile = join(logDir, `${resourceId}.out`);
    const jvm = spawnJvm(
      install.java,
      taskManagerJvmFlags(heapMb, logFile, install.log4jConfig),
      install.classpath,
      TASKMANAGER_MAIN,
      ['--configDir', confDir, `-Dtaskmanager.resource-id=${resourceId}`],
      { outFile, label: `flink ${resourceId} :${restPort}`, ...hooks(opts) },
    );
    tm = { jvm, info: { pid: jvm.pid, logFile, outFile, resourceId } };
    return tm;
  };
  const stopAll = async () => {
    if (tm) await stopJvm(tm.jvm, graceMs);
    await stopJvm(jm, graceMs);
  };

  try {
    const first = spawnTm();
    await waitForTaskManager(
      restUrl,
      first.info.resourceId,
      [
        { jvm: jm, logFile: jmLog, outFile: jmOut },
        { jvm: first.jvm, logFile: first.info.logFile, outFile: first.info.outFile },
      ],
      readyTimeoutMs,
    );
  } catch (e) {
    await stopAll();
    if (ownsDir) rmSync(baseDir, { recursive: true, force: true });
    throw e;
  }

  const info = (): FlinkClusterInfo => ({
    restUrl,
    flinkVersion: install.flinkVersion,
    baseDir,
    configFile,
    jobJar: install.jobJar,
    checkpointDir,
    savepointDir,
    taskSlots,
    jobManager: { pid: jm.pid, logFile: jmLog, outFile: jmOut },
    taskManager: { ...(tm as NonNullable<typeof tm>).info },
  });
  const cluster: FlinkCluster = {
    ...info(),
    info,
    async killTaskManager() {
      if (!tm?.jvm.alive()) return;
      signal(tm.jvm.pid, 'SIGKILL');
      await tm.jvm.exited;
    },
    async startTaskManager() {
      if (tm?.jvm.alive()) await stopJvm(tm.jvm, graceMs);
      const next = spawnTm();
      await waitForTaskManager(
        restUrl,
        next.info.resourceId,
        [
          { jvm: jm, logFile: jmLog, outFile: jmOut },
          { jvm: next.jvm, logFile: next.info.logFile, outFile: next.info.outFile },
        ],
        readyTimeoutMs,
      );
      Object.assign(cluster, { taskManager: { ...next.info } });
      return { ...next.info };
    },
    async stop() {
      await stopAll();
      if (ownsDir) rmSync(baseDir, { recursive: true, force: true });
    },
  };
  return cluster;
}

function hooks(opts: ProcessHooks): ProcessHooks {
  return {
    ...(opts.onSpawn ? { onSpawn: opts.onSpawn } : {}),
    ...(opts.onExit ? { onExit: opts.onExit } : {}),
  };
}

/** Polls GET /taskmanagers until `resourceId` is registered with slots; fails fast if a JVM dies. */
async function waitForTaskManager(
  restUrl: string,
  resourceId: string,
  jvms: Array<{ jvm: FlinkJvm; logFile: string; outFile: string }>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const dead = jvms.find((j) => !j.jvm.alive());
    if (dead) {
      const why = [
        ...tailFile(dead.logFile, 400)
          .split('\n')
          .filter((l) => /ERROR|Exception|Caused by/.test(l))
          .slice(-12),
        tailFile(dead.outFile, 10),
      ];
      throw unavailable(
        `Flink ${dead.jvm.label} exited during start-up (exit ${await dead.jvm.exited}):\n${why.join('\n').trim()}`,
        `See ${dead.logFile}.`,
      );
    }
    try {
      const res = await fetch(`${restUrl}/taskmanagers`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) {
        const body = (await res.json()) as { taskmanagers?: Array<{ id?: string; slotsNumber?: number }> };
        const found = body.taskmanagers?.find((t) => t.id === resourceId);
        if (found && (found.slotsNumber ?? 0) > 0) return;
        last = `registered: ${JSON.stringify(body.taskmanagers?.map((t) => t.id) ?? [])}`;
      } else last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw unavailable(
    `Flink ${resourceId} did not register within ${timeoutMs} ms (${last}).`,
    `See the logs: ${jvms.map((j) => j.logFile).join(', ')}.`,
  );
}
