import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { unavailable } from '../../../../src/core/errors.js';
import { peerCacheDir } from '../paths.js';

/** What it takes to launch a Flink JVM and submit the test job (peers/flink/fetch.sh output). */
export interface FlinkInstall {
  /** The java executable ($JAVA_HOME/bin/java, else `java` on PATH). */
  java: string;
  /** `-cp` argument: a classpath wildcard over the fetched libs. */
  classpath: string;
  /** The Flink version of the fetched flink-runtime jar, e.g. 1.20.5. */
  flinkVersion: string;
  /** log4j 2 properties that write each JVM's log to `-Dlog.file`. */
  log4jConfig: string;
  /** The compiled test job (com.acme.streamctl.testjob.OrdersJob). */
  jobJar: string;
}

/** Where `npm run peers:fetch` puts the Flink jars and the test job. */
export function flinkPeerDir(): string {
  return peerCacheDir('flink');
}

let javaChecked: string | undefined;

function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  const java = home ? join(home, 'bin', 'java') : 'java';
  if (javaChecked === java) return java;
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw unavailable(
      `Java 17 is needed to run a real Flink cluster, but \`${java} -version\` failed${r.error ? `: ${r.error.message}` : ''}.`,
      'Install a JDK 17 (e.g. `apt-get install openjdk-17-jdk-headless`) or set JAVA_HOME.',
    );
  }
  javaChecked = java;
  return java;
}

/**
 * Locates the fetched Flink runtime and test job and checks Java, failing with a clear remediation
 * (never a ClassNotFoundException in a JVM log) when `npm run peers:fetch` has not run.
 */
export function flinkInstall(dir = flinkPeerDir()): FlinkInstall {
  const libs = join(dir, 'libs');
  const runtime = existsSync(libs)
    ? readdirSync(libs).find((f) => /^flink-runtime-\d[\d.]*\.jar$/.test(f))
    : undefined;
  const jobJar = join(dir, 'streamctl-test-job.jar');
  if (!runtime || !existsSync(jobJar)) {
    throw unavailable(
      `The Flink jars or the test job are missing (expected flink-runtime-*.jar in ${libs} and ${jobJar}).`,
      'Run `npm run peers:fetch` (needs Maven, a JDK 17 and network access to Maven Central).',
    );
  }
  return {
    java: javaBinary(),
    classpath: join(libs, '*'),
    flinkVersion: runtime.replace(/^flink-runtime-/, '').replace(/\.jar$/, ''),
    log4jConfig: join(dir, 'log4j.properties'),
    jobJar,
  };
}
