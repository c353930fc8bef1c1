/**
 * The real-Flink sandbox: a Flink 1.20 standalone session cluster (JobManager + TaskManager JVMs on
 * loopback) started from the jars `npm run peers:fetch` puts in the peer cache, and REST helpers to
 * run the streamctl test job in its modes. Used by the test bed (test/peers/kinds/flink.ts), the AWS
 * emulator and `streamctl demo`. See docs/testbed-flink.md.
 */
export {
  type FlinkCluster,
  type FlinkClusterInfo,
  type FlinkClusterOptions,
  type FlinkProcessInfo,
  startFlinkCluster,
} from './cluster.js';
export { type FlinkInstall, flinkInstall, flinkPeerDir } from './install.js';
export {
  cancelJob,
  FlinkJobSubmitError,
  getJobMetric,
  getNumRestarts,
  jobState,
  type RunJobOptions,
  runJob,
  stopWithSavepoint,
  type TestJobMode,
  testJobArgs,
  triggerSavepoint,
  uploadJar,
  waitForAllSubtasksRunning,
  waitForJobState,
} from './jobs.js';
export type { ProcessHooks } from './process.js';
