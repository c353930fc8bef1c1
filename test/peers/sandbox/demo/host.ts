import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../../src/core/fs.js';
import { type DemoState, demoStateFile } from '../../../../src/services/demo-state.js';
import { type AwsEmulator, startAwsEmulator } from '../aws-emulator/index.js';
import { type FlinkCluster, startFlinkCluster, uploadJar } from '../flink/index.js';
import type { KafkaVersion } from '../kafka/index.js';
import { type KafkaCluster, startKafkaCluster } from '../kafka/index.js';
import { demoConfigYaml, demoCredentialsIni } from './config.js';

export type { DemoState } from '../../../../src/services/demo-state.js';
export { demoStateFile } from '../../../../src/services/demo-state.js';

/**
 * The demo sandbox host: one long-lived background process that owns the real Kafka brokers, the
 * real Flink cluster and the AWS emulator (an in-process server, so it needs a process to live in),
 * writes the config that points streamctl at them, and answers a tiny loopback control API
 * (add a broker, stop). `streamctl demo down` stops it; it stops every child by PID.
 */
export async function runDemoHost(dir: string, opts: { kafkaVersion?: KafkaVersion } = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const pids = new Set<number>();
  const hooks = { onSpawn: (pid: number) => pids.add(pid), onExit: (pid: number) => pids.delete(pid) };
  let kafka: KafkaCluster | undefined;
  let flink: FlinkCluster | undefined;
  let emulator: AwsEmulator | undefined;
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    await emulator?.stop().catch(() => undefined);
    await flink?.stop().catch(() => undefined);
    await kafka?.stop().catch(() => undefined);
    rmSync(demoStateFile(dir), { force: true });
  };
  const onSignal = () => {
    void stopAll().finally(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const kafkaVersion = opts.kafkaVersion ?? '4';
    [kafka, flink] = await Promise.all([
      startKafkaCluster({ version: kafkaVersion, brokers: 3, ...hooks }),
      startFlinkCluster({ taskSlots: 4, ...hooks }),
    ]);
    const jarId = await uploadJar(flink.restUrl, flink.jobJar);
    emulator = await startAwsEmulator({ flink: { ...flink.info(), jarId }, sampleIntervalMs: 5000 });
    const k = kafka;
    const control = createServer((req, res) => {
      const reply = (code: number, body: unknown) =>
        res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'POST' && req.url === '/kafka/add-broker') {
        k.addBroker()
          .then((b) => {
            pids.add(b.pid);
            reply(200, { id: b.id, port: b.port, rack: b.rack });
          })
          .catch((e: Error) => reply(500, { error: e.message }));
      } else if (req.method === 'POST' && req.url === '/stop') {
        reply(202, { stopping: true });
        onSignal();
      } else if (req.method === 'GET' && req.url === '/state') {
        reply(200, { kafka: k.info(), pids: [...pids] });
      } else reply(404, { error: 'not found' });
    });
    await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
    const controlUrl = `http://127.0.0.1:${(control.address() as { port: number }).port}`;
    const configFile = join(dir, 'streamctl.yaml');
    const journalFile = join(dir, 'journal.db');
    // A new sandbox is a new world (a new emulated application): the healer's journal of the last
    // one would resume incidents of an application that no longer exists. Keep it aside, not lost.
    if (existsSync(journalFile)) renameSync(journalFile, join(dir, 'journal.previous.db'));
    const credentialsFile = join(dir, 'aws-credentials');
    writeFileAtomic(credentialsFile, demoCredentialsIni(), { mode: 0o600 });
    writeFileAtomic(
      configFile,
      demoConfigYaml({
        emulator: emulator.endpoint,
        kafkaBootstrap: kafka.bootstrap,
        journal: journalFile,
        credentialsFile,
      }),
    );
    const state: DemoState = {
      hostPid: process.pid,
      controlUrl,
      configFile,
      journalFile,
      emulatorEndpoint: emulator.endpoint,
      flinkRestUrl: flink.restUrl,
      kafkaBootstrap: kafka.bootstrap,
      kafkaVersion,
      pids: [...pids],
      startedAt: new Date().toISOString(),
    };
    writeFileAtomic(demoStateFile(dir), `${JSON.stringify(state, null, 2)}\n`);
    // Keep the PID list fresh for `demo down` (brokers added later).
    setInterval(() => {
      if (!stopping)
        writeFileAtomic(demoStateFile(dir), `${JSON.stringify({ ...state, pids: [...pids] }, null, 2)}\n`);
    }, 5000).unref();
  } catch (e) {
    await stopAll();
    throw e;
  }
}
