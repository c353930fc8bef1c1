import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trackPid, untrackPid } from '../../peers/pids.js';
import {
  KAFKA_VERSIONS,
  kafkaInstall,
  kafkaLibsDir,
  startKafkaCluster,
} from '../../peers/sandbox/kafka/index.js';
import { bindPidDir } from '../../peers/use.js';

describe('kafkaInstall', () => {
  let emptyCache: string;
  const saved = { cache: process.env.STREAMCTL_PEER_CACHE, javaHome: process.env.JAVA_HOME };

  beforeEach(() => {
    emptyCache = mkdtempSync(join(tmpdir(), 'streamctl-empty-cache-'));
  });
  afterEach(() => {
    for (const [k, v] of [
      ['STREAMCTL_PEER_CACHE', saved.cache],
      ['JAVA_HOME', saved.javaHome],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(emptyCache, { recursive: true, force: true });
  });

  it.each(KAFKA_VERSIONS)(
    'tells to run `npm run peers:fetch` when the Kafka %s jars are missing',
    (version) => {
      process.env.STREAMCTL_PEER_CACHE = emptyCache;

      expect(() => kafkaInstall(version)).toThrow(/jars are missing .*run `npm run peers:fetch`/);
      expect(kafkaLibsDir(version)).toBe(join(emptyCache, `kafka-${version}`, 'libs'));
    },
  );

  it('names Java when it cannot run', () => {
    process.env.JAVA_HOME = join(emptyCache, 'no-jdk');

    expect(() => kafkaInstall('4')).toThrow(/Java is needed .*JAVA_HOME/);
  });

  it('refuses an unknown version', () => {
    expect(() => kafkaInstall('2.8' as never)).toThrow(/expected '3.9' or '4'/);
  });
});

describe('startKafkaCluster failures', () => {
  it('reports a broker property Kafka rejects, with the node and the tool output, and leaves no process', async () => {
    bindPidDir();
    const spawned: number[] = [];
    const exited: number[] = [];

    const start = startKafkaCluster({
      version: '3.9',
      brokers: 1,
      extraBrokerProps: { 'log.segment.bytes': 'not-a-number' },
      onSpawn: (pid, label) => {
        spawned.push(pid);
        trackPid(pid, label);
      },
      onExit: (pid) => {
        exited.push(pid);
        untrackPid(pid);
      },
    });

    await expect(start).rejects.toThrow(/formatting Kafka 3\.9 node 1 failed[\s\S]*log\.segment\.bytes/);
    expect(exited.sort()).toEqual(spawned.sort());
  });
});
