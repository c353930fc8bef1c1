import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { unavailable, usageError } from '../../../../src/core/errors.js';
import { peerCacheDir } from '../paths.js';

/** The Kafka lines the sandbox runs: 3.9 (last with ZooKeeper code, KRaft here) and 4.x (KRaft only). */
export type KafkaVersion = '3.9' | '4';

/** Every supported version, for table-driven tests and `--version` flags. */
export const KAFKA_VERSIONS: readonly KafkaVersion[] = ['3.9', '4'];

/** Where `npm run peers:fetch` puts a version's jars and log configs (peers/kafka-<v>/fetch.sh). */
export function kafkaPeerDir(version: KafkaVersion): string {
  return peerCacheDir(`kafka-${version}`);
}

/** The directory holding every runtime jar of a version (`java -cp "<dir>/*"`). */
export function kafkaLibsDir(version: KafkaVersion): string {
  return join(kafkaPeerDir(version), 'libs');
}

/** What it takes to launch a JVM of one Kafka version. */
export interface KafkaInstall {
  version: KafkaVersion;
  /** The java executable ($JAVA_HOME/bin/java, else `java` on PATH). */
  java: string;
  /** `-cp` argument: a classpath wildcard over the libs directory. */
  classpath: string;
  /** JVM flag selecting the quiet broker log config (logs go to stdout, redirected to a file). */
  brokerLogFlag: string;
  /** JVM flag selecting the tools log config (warnings to stderr so stdout stays parseable). */
  toolsLogFlag: string;
}

let javaChecked: string | undefined;

function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  const java = home ? join(home, 'bin', 'java') : 'java';
  if (javaChecked === java) return java;
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw unavailable(
      `Java is needed to run a real Kafka broker, but \`${java} -version\` failed${r.error ? `: ${r.error.message}` : ''}. Install a JDK 17+ or set JAVA_HOME.`,
      'Install a JDK 17+ (e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME.',
    );
  }
  javaChecked = java;
  return java;
}

/**
 * Locates a fetched Kafka version and checks Java, failing with a clear remediation (never a JVM
 * ClassNotFoundException later) when `npm run peers:fetch` has not been run.
 */
export function kafkaInstall(version: KafkaVersion): KafkaInstall {
  if (version !== '3.9' && version !== '4') {
    throw usageError(`Unknown Kafka version ${JSON.stringify(version)}: expected '3.9' or '4'.`);
  }
  const dir = kafkaPeerDir(version);
  const libs = kafkaLibsDir(version);
  const hasBroker = existsSync(libs) && readdirSync(libs).some((f) => /^kafka_2\.13-.*\.jar$/.test(f));
  if (!hasBroker) {
    throw unavailable(
      `The Kafka ${version} jars are missing (expected kafka_2.13-*.jar in ${libs}): run \`npm run peers:fetch\`.`,
      'Run `npm run peers:fetch` (needs Maven and network access to Maven Central).',
    );
  }
  const java = javaBinary();
  const classpath = join(libs, '*');
  if (version === '3.9') {
    return {
      version,
      java,
      classpath,
      brokerLogFlag: `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
      toolsLogFlag: `-Dlog4j.configuration=file:${join(dir, 'tools-log4j.properties')}`,
    };
  }
  return {
    version,
    java,
    classpath,
    brokerLogFlag: `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
    toolsLogFlag: `-Dlog4j2.configurationFile=${join(dir, 'tools-log4j2.properties')}`,
  };
}

/**
 * JVM options for a small, quick-starting Kafka process on a shared 2-core machine: a fixed small
 * heap, the serial collector (no parallel GC threads competing for the cores) and C1 only (most of
 * a broker's start-up CPU is C2 compilation; a test broker never runs long enough to need C2).
 */
export function smallJvmFlags(heapMb: number): string[] {
  return [
    `-Xmx${heapMb}m`,
    `-Xms${Math.min(heapMb, 128)}m`,
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-Djava.awt.headless=true',
    '-Dfile.encoding=UTF-8',
  ];
}
