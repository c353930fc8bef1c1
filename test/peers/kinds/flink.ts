import {
  type FlinkCluster,
  type FlinkClusterInfo,
  startFlinkCluster,
  uploadJar,
} from '../../../src/sandbox/flink/index.js';
import { trackPid, untrackPid } from '../pids.js';
import type { PeerKind, StartedPeer } from './types.js';

/** Parameters of the `flink` peer: `usePeer<FlinkPeerInfo>('flink', {})`. */
export interface FlinkPeerParams {
  taskSlots?: number;
  restartDelayMs?: number;
}

/** The shared cluster as plain JSON, plus the id of the already uploaded test job jar. */
export type FlinkPeerInfo = FlinkClusterInfo & { jarId: string };

/** A directly started (private) cluster keeps its fault controls (killTaskManager, startTaskManager). */
export type StartedFlinkPeer = StartedPeer<FlinkPeerInfo> & { cluster: FlinkCluster };

/**
 * A real Flink 1.20 standalone session cluster (src/sandbox/flink): JobManager + TaskManager JVMs on
 * loopback, every PID tracked so the global teardown can stop them even after a crash.
 */
const flink = {
  async start(params: FlinkPeerParams): Promise<StartedFlinkPeer> {
    const cluster = await startFlinkCluster({
      ...(params.taskSlots !== undefined ? { taskSlots: params.taskSlots } : {}),
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
