import type { KafkaVersion } from './install.js';
import type { ProcessHooks } from './jvm.js';

/** Options of `startKafkaCluster`. */
export interface KafkaClusterOptions extends ProcessHooks {
  version: KafkaVersion;
  /** Number of combined (broker + controller) nodes: 1, 3, … They form the controller quorum. */
  brokers: number;
  /** Racks assigned round robin by node id (default use1-az1, use1-az2, use1-az3). */
  racks?: string[];
  /** Adds a SASL_PLAINTEXT SCRAM-SHA-512 listener and an admin user created at format time. */
  scram?: boolean;
  /** Where node directories go; a fresh temp dir (removed by stop()) by default. */
  baseDir?: string;
  /** Heap per broker JVM (default 384 MB). */
  heapMb?: number;
  /** How long to wait for every broker to register (default 120 s: 2 loaded cores are slow). */
  readyTimeoutMs?: number;
  /**
   * SIGTERM grace before SIGKILL in stop() (default 5 s). When every node stops at once the
   * brokers' controlled shutdowns wait for a quorum that is leaving too, so they rarely finish;
   * the data is thrown away anyway. restart() waits at least 30 s for a clean shutdown.
   */
  stopGraceMs?: number;
  /** Broker properties that override the defaults, e.g. `{ 'replica.lag.time.max.ms': 5000 }`. */
  extraBrokerProps?: Record<string, string | number | boolean>;
}

/** One node, as plain JSON. */
export interface KafkaBrokerInfo {
  id: number;
  pid: number;
  roles: 'broker,controller' | 'broker';
  host: string;
  port: number;
  saslPort?: number;
  controllerPort?: number;
  rack: string;
  logDirs: string[];
  logFile: string;
  configFile: string;
}

/** How to reach the SCRAM listener (kafkajs: `sasl: { mechanism, username, password }`). */
export interface KafkaScramInfo {
  bootstrap: string;
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
}

/** A sandbox cluster, as plain JSON. */
export interface KafkaClusterInfo {
  version: KafkaVersion;
  clusterId: string;
  /** PLAINTEXT bootstrap, comma-separated host:port of every node. */
  bootstrap: string;
  brokers: KafkaBrokerInfo[];
  scram?: KafkaScramInfo;
  baseDir: string;
}

/** A running sandbox cluster: its description plus the fault and lifecycle controls. */
export interface KafkaCluster extends KafkaClusterInfo {
  /** A plain-JSON copy of the current state (PIDs change on restart). */
  info(): KafkaClusterInfo;
  /** SIGKILL a node and wait until it has exited. */
  kill(id: number): Promise<void>;
  /** SIGSTOP a node: it keeps its sockets but answers nothing (a hung broker). */
  pause(id: number): void;
  /** SIGCONT a paused node. */
  resume(id: number): void;
  /** Stops a node if running (SIGTERM, then SIGKILL), starts it again and waits until it registers. */
  restart(id: number): Promise<KafkaBrokerInfo>;
  /** Starts a broker-only node with the next id that joins the existing quorum. */
  addBroker(opts?: { rack?: string }): Promise<KafkaBrokerInfo>;
  /** Stops every node by PID (SIGTERM, then SIGKILL), waits until gone, removes the temp dir. */
  stop(): Promise<void>;
}
