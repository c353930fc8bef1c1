import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SASLOptions } from 'kafkajs';
import { kafkaInstall } from './install.js';
import type { KafkaJvm, ProcessHooks } from './jvm.js';
import {
  formatNode,
  launchNode,
  type NodeFiles,
  prepareNodeDir,
  type ScramUser,
  signal,
  stopJvm,
  tailFile,
} from './node.js';
import { freePorts } from './ports.js';
import type { ClusterLayout, NodeLayout } from './properties.js';
import { waitForBrokers } from './readiness.js';
import type { KafkaBrokerInfo, KafkaCluster, KafkaClusterOptions } from './types.js';

const HOST = '127.0.0.1';
const DEFAULT_RACKS = ['use1-az1', 'use1-az2', 'use1-az3'];

interface NodeState {
  layout: NodeLayout;
  files: NodeFiles;
  jvm: KafkaJvm;
  paused: boolean;
}

/** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding, not starting with '-'. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Starts a real KRaft Kafka cluster on loopback ports: `brokers` combined nodes sharing one cluster
 * id and a static controller quorum, two log dirs each, racks set, auto topic creation off.
 * Resolves when DescribeCluster lists every broker (and, with SCRAM, when the admin user can log
 * in). Retries with new ports when another process took a chosen port first.
 */
export async function startKafkaCluster(opts: KafkaClusterOptions): Promise<KafkaCluster> {
  kafkaInstall(opts.version); // fail fast, with the remedy, when Java or the jars are missing
  if (!Number.isInteger(opts.brokers) || opts.brokers < 1)
    throw new Error(`brokers must be a positive integer, got ${opts.brokers}`);
  for (let attempt = 1; ; attempt++) {
    const baseDir = opts.baseDir
      ? join(opts.baseDir, `attempt-${attempt}`)
      : mkdtempSync(join(tmpdir(), `streamctl-kafka-${opts.version}-`));
    try {
      return await startOnce(opts, baseDir, !opts.baseDir);
    } catch (e) {
      if (attempt < 3 && (e as Error).message.includes('Address already in use')) continue;
      throw e;
    }
  }
}

async function startOnce(
  opts: KafkaClusterOptions,
  baseDir: string,
  ownsBaseDir: boolean,
): Promise<KafkaCluster> {
  const { version } = opts;
  const racks = opts.racks?.length ? opts.racks : DEFAULT_RACKS;
  const heapMb = opts.heapMb ?? 384;
  const graceMs = opts.stopGraceMs ?? 5000;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const hooks: ProcessHooks = { onSpawn: opts.onSpawn, onExit: opts.onExit };
  const clusterId = newClusterId();
  const scram: ScramUser | undefined = opts.scram
    ? { username: 'admin', password: randomBytes(12).toString('hex') }
    : undefined;
  const perNode = opts.scram ? 3 : 2;
  const ports = await freePorts(opts.brokers * perNode, HOST);
  const layouts: NodeLayout[] = [];
  for (let i = 0; i < opts.brokers; i++) {
    const id = i + 1;
    const [port, controllerPort, saslPort] = ports.slice(i * perNode, (i + 1) * perNode) as [
      number,
      number,
      number?,
    ];
    layouts.push({
      id,
      roles: 'broker,controller',
      host: HOST,
      port,
      controllerPort,
      saslPort,
      rack: racks[i % racks.length]!,
      logDirs: [],
    });
  }
  const cluster: ClusterLayout = {
    voters: layouts.map((l) => ({ id: l.id, host: HOST, controllerPort: l.controllerPort! })),
    brokerCount: opts.brokers,
    extra: opts.extraBrokerProps,
  };
  const nodes = new Map<number, NodeState>();
  let stopped = false;

  const alive = () => [...nodes.values()].filter((n) => n.jvm.alive());
  const bootstrapOf = (list: NodeState[], sasl = false) =>
    list.map((n) => `${HOST}:${sasl ? n.layout.saslPort : n.layout.port}`);
  const reachable = () => bootstrapOf(alive().filter((n) => !n.paused));
  const brokerInfo = (n: NodeState): KafkaBrokerInfo => ({
    ...structuredClone(n.layout),
    pid: n.jvm.pid,
    logFile: n.files.logFile,
    configFile: n.files.configFile,
  });
  const logTails = (ids: number[]) =>
    ids
      .map((id) => nodes.get(id))
      .filter((n): n is NodeState => n !== undefined)
      .map(
        (n) =>
          `--- node ${n.layout.id} (${n.jvm.alive() ? 'running' : 'exited'}) ${n.files.logFile}:\n${tailFile(n.files.logFile)}`,
      )
      .join('\n');
  const failIfExited = (ids: number[]) => () => {
    for (const id of ids) {
      const n = nodes.get(id);
      if (n && !n.jvm.alive())
        throw new Error(`Kafka ${version} node ${id} exited during start-up.\n${logTails([id])}`);
    }
  };
  const waitFor = (ids: number[]) =>
    waitForBrokers({
      bootstrap: reachable,
      expectedIds: ids,
      timeoutMs: readyTimeoutMs,
      check: failIfExited(ids),
      describeFailure: () => logTails(ids),
    });
  const node = (id: number): NodeState => {
    const n = nodes.get(id);
    if (!n) throw new Error(`no node ${id} in this cluster (nodes: ${[...nodes.keys()].join(',')})`);
    return n;
  };
  const start = (layout: NodeLayout, files: NodeFiles) => {
    nodes.set(layout.id, {
      layout,
      files,
      jvm: launchNode(version, layout, files, heapMb, hooks),
      paused: false,
    });
  };

  const handle: KafkaCluster = {
    version,
    clusterId,
    bootstrap: '',
    brokers: [],
    baseDir,
    info() {
      return JSON.parse(
        JSON.stringify({
          version,
          clusterId,
          bootstrap: handle.bootstrap,
          brokers: handle.brokers,
          scram: handle.scram,
          baseDir,
        }),
      );
    },
    async kill(id) {
      const n = node(id);
      signal(n.jvm.pid, 'SIGKILL');
      await n.jvm.exited;
      n.paused = false;
    },
    pause(id) {
      const n = node(id);
      signal(n.jvm.pid, 'SIGSTOP');
      n.paused = true;
    },
    resume(id) {
      const n = node(id);
      signal(n.jvm.pid, 'SIGCONT');
      n.paused = false;
    },
    async restart(id) {
      const n = node(id);
      // A single node in a healthy cluster shuts down cleanly (controlled shutdown), and a clean
      // shutdown spares the restart a log recovery: give it time.
      await stopJvm(n.jvm, Math.max(graceMs, 30_000));
      start(n.layout, n.files);
      await waitFor([id]);
      refresh();
      return brokerInfo(node(id));
    },
    async addBroker(addOpts = {}) {
      const id = Math.max(...nodes.keys()) + 1;
      const [port, saslPort] = await freePorts(opts.scram ? 2 : 1, HOST);
      const files = prepareNodeDir(baseDir, id);
      const layout: NodeLayout = {
        id,
        roles: 'broker',
        host: HOST,
        port: port!,
        saslPort,
        rack: addOpts.rack ?? racks[(id - 1) % racks.length]!,
        logDirs: files.logDirs,
      };
      await formatNode(version, layout, cluster, files, clusterId, scram, hooks);
      start(layout, files);
      await waitFor([id]);
      refresh();
      return brokerInfo(node(id));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([...nodes.values()].map((n) => stopJvm(n.jvm, graceMs)));
      if (ownsBaseDir) rmSync(baseDir, { recursive: true, force: true });
    },
  };
  const refresh = () => {
    const all = [...nodes.values()].sort((a, b) => a.layout.id - b.layout.id);
    handle.brokers = all.map(brokerInfo);
    handle.bootstrap = bootstrapOf(all).join(',');
    if (scram)
      handle.scram = { bootstrap: bootstrapOf(all, true).join(','), mechanism: 'scram-sha-512', ...scram };
  };

  try {
    const files = new Map<number, NodeFiles>();
    for (const layout of layouts) {
      const f = prepareNodeDir(baseDir, layout.id);
      layout.logDirs = f.logDirs;
      files.set(layout.id, f);
    }
    await Promise.all(
      layouts.map((l) => formatNode(version, l, cluster, files.get(l.id)!, clusterId, scram, hooks)),
    );
    for (const layout of layouts) start(layout, files.get(layout.id)!);
    const ids = layouts.map((l) => l.id);
    await waitFor(ids);
    if (scram) {
      const sasl: SASLOptions = { mechanism: 'scram-sha-512', ...scram };
      await waitForBrokers({
        bootstrap: () => bootstrapOf(alive(), true),
        expectedIds: ids,
        timeoutMs: readyTimeoutMs,
        sasl,
        check: failIfExited(ids),
        describeFailure: () => `SCRAM login as ${scram.username} failed.\n${logTails(ids)}`,
      });
    }
    refresh();
    return handle;
  } catch (e) {
    await handle.stop().catch(() => undefined);
    throw e;
  }
}
