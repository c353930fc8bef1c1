import { trackPid, untrackPid } from '../pids.js';
import { type AwsEmulator, type RealFlinkRef, startAwsEmulator } from '../sandbox/aws-emulator/index.js';
import { type FlinkCluster, startFlinkCluster, uploadJar } from '../sandbox/flink/index.js';
import type { PeerKind, StartedPeer } from './types.js';

/**
 * Parameters of the `aws-emulator` peer. Prefer ONE Flink cluster per run: pass the shared flink
 * peer's info (`usePeer('flink', {})`) as `flink`. `flink: true` starts a private cluster for
 * this emulator (stopped with it); no `flink` gives an emulator without MSF lifecycle.
 */
export interface AwsEmulatorPeerParams {
  flink?: true | (RealFlinkRef & Record<string, unknown>);
  /** AWS/KinesisAnalytics sampling interval in ms (default 5000). */
  sampleIntervalMs?: number;
}

/** What tests get: the endpoint for every SDK client and for `remoteControl(endpoint)`. */
export interface AwsEmulatorPeerInfo {
  endpoint: string;
  flinkRestUrl?: string;
}

export type StartedAwsEmulatorPeer = StartedPeer<AwsEmulatorPeerInfo> & { emulator: AwsEmulator };

/**
 * The AWS emulator (test/peers/sandbox/aws-emulator) running in the peer-service process. Shared
 * emulators are used by several test files at once: give applications unique names, and never
 * advance the clock of a shared one (start a private one with `start()` for that).
 */
const awsEmulator: PeerKind<AwsEmulatorPeerParams, AwsEmulatorPeerInfo> & {
  start(p: AwsEmulatorPeerParams): Promise<StartedAwsEmulatorPeer>;
} = {
  async start(params) {
    let cluster: FlinkCluster | undefined;
    let flink: RealFlinkRef | undefined;
    if (params.flink === true) {
      cluster = await startFlinkCluster({
        onSpawn: (pid, label) => trackPid(pid, label),
        onExit: (pid) => untrackPid(pid),
      });
      flink = { ...cluster.info(), jarId: await uploadJar(cluster.restUrl, cluster.jobJar) };
    } else if (params.flink) {
      flink = params.flink;
    }
    try {
      const emulator = await startAwsEmulator({
        ...(flink ? { flink } : {}),
        ...(params.sampleIntervalMs !== undefined ? { sampleIntervalMs: params.sampleIntervalMs } : {}),
      });
      return {
        info: { endpoint: emulator.endpoint, ...(flink ? { flinkRestUrl: flink.restUrl } : {}) },
        emulator,
        async stop() {
          await emulator.stop();
          await cluster?.stop();
        },
      };
    } catch (e) {
      await cluster?.stop();
      throw e;
    }
  },
};

export default awsEmulator;
