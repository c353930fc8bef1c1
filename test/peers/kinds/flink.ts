import { trackPid, untrackPid } from '../pids.js';
import {
  type FlinkCluster,
  type FlinkClusterInfo,
  startFlinkCluster,
  uploadJar,
} from '../sandbox/flink/index.js';
import type { PeerKind, StartedPeer } from './types.js';

/** Parameters of the `flink` peer: `usePeer<FlinkPeerInfo>('flink', {})`. */
export interface FlinkPeerParams {
  /**
   * Default 8 (the sandbox's own default is 4): the shared cluster serves several test files at
   * once (this bed, the REST probe, the AWS emulator, live commands), one slot per job.
   */
  taskSlots?: number;
  restartDelayMs?: number;
}

const SHARED_SLOTS = 8;

/** The shared cluster as plain JSON, plus the id of the already uploaded test job jar. */
export type FlinkPeerInfo = FlinkClusterInfo & { jarId: string };

/** A directly started (private) cluster keeps its fault controls (killTaskManager, startTaskManager). */
export type StartedFlinkPeer = StartedPeer<FlinkPeerInfo> & { cluster: FlinkCluster };

/**
 * A real Flink 1.20 standalone session cluster (test/peers/sandbox/flink): JobManager + TaskManager JVMs on
 * loopback, every PID tracked so the global teardown can stop them even after a crash.
 */
const flink = {
  async start(params: FlinkPeerParams): Promise<StartedFlinkPeer> {
    const cluster = await startFlinkCluster({
      taskSlots: params.taskSlots ?? SHARED_SLOTS,
      ...(params.restartDelayMs !== undefined ? { restartDelayMs: params.restartDelayMs } : {}),
      onSpawn: (pid, label) => trackPid(pid, label),
      onExit: (pid) => untrackPid(pid),
    });
    try {
      const jarId = await uploadJar(cluster.restUrl, cluster.jobJar);
      return { info: { ...cluster.info(), jarId }, stop: () => cluster.stop(), cluster };
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  },
} satisfies PeerKind<FlinkPeerParams, FlinkPeerInfo>;

export default flink;
