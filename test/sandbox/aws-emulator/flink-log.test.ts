import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFlinkLog } from '../../peers/sandbox/aws-emulator/logs/flink-log.js';
import { RestFlinkBackend } from '../../peers/sandbox/aws-emulator/rest-flink-backend.js';

// Lines in the sandbox log4j pattern (`%d %-5level %-60c %x - %m%n`), as the real cluster writes them.
const A = 'a'.repeat(32); // job A
const B = 'b'.repeat(32); // job B, same job graph, running at the same time
const GA = '1'.repeat(32); // execution graph of A
const GB = '2'.repeat(32);
const line = (t: string, level: string, logger: string, msg: string) =>
  `2026-11-22 01:15:${t} ${level.padEnd(5)} ${logger.padEnd(60)} [] - ${msg}`;
const jm = [
  line(
    '05.905',
    'INFO',
    'org.apache.flink.runtime.executiongraph.ExecutionGraph',
    `Created execution graph ${GA} for job ${A}.`,
  ),
  line(
    '05.906',
    'INFO',
    'org.apache.flink.runtime.executiongraph.ExecutionGraph',
    `Created execution graph ${GB} for job ${B}.`,
  ),
  line(
    '06.560',
    'INFO',
    'org.apache.flink.runtime.executiongraph.ExecutionGraph',
    `Job orders-enricher v1 (${A}) switched from state CREATED to RUNNING.`,
  ),
  line(
    '06.562',
    'INFO',
    'org.apache.flink.runtime.executiongraph.ExecutionGraph',
    `Source: orders-source (1/1) (${GA}_45b0_0_0) switched from CREATED to SCHEDULED.`,
  ),
  line(
    '06.563',
    'INFO',
    'org.apache.flink.runtime.executiongraph.ExecutionGraph',
    `Source: orders-source (1/1) (${GB}_45b0_0_0) switched from CREATED to SCHEDULED.`,
  ),
  line(
    '06.600',
    'INFO',
    'org.apache.flink.runtime.resourcemanager.StandaloneResourceManager',
    'Some cluster-wide line naming no job.',
  ),
].join('\n');
const tm = [
  line(
    '09.611',
    'WARN',
    'org.apache.flink.runtime.taskmanager.Task',
    `Enrich -> discard: Writer (1/1)#0 (${GA}_9c32_0_0) switched from RUNNING to FAILED with failure cause:`,
  ),
  'java.lang.NullPointerException: Cannot invoke "String.toUpperCase()" because "region" is null',
  '\tat com.acme.streamctl.testjob.Enrich.map(Enrich.java:78)',
  '',
].join('\n');

describe('Flink log reading and job attribution', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emu-flink-log-'));
    writeFileSync(join(dir, 'jobmanager.log'), `${jm}\n`);
    writeFileSync(join(dir, 'taskmanager-1.log'), tm);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('parses level, logger and message, and attaches stack trace lines to the event before them', () => {
    const events = parseFlinkLog(tm);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ level: 'WARN', logger: 'org.apache.flink.runtime.taskmanager.Task' });
    expect(events[0]!.message).toMatch(/switched from RUNNING to FAILED/);
    expect(events[0]!.throwable).toMatch(/NullPointerException[\s\S]*Enrich\.java:78/);
    expect(events[0]!.timestampMs).toBe(new Date(2026, 10, 22, 1, 15, 9, 611).getTime());
  });

  it("gives a job the lines naming it and its own tasks' lines, never another job's or cluster-wide ones", async () => {
    const backend = new RestFlinkBackend({
      restUrl: 'http://127.0.0.1:9',
      jobJar: '/nonexistent.jar',
      logDir: dir,
    });
    const a = (await backend.logEvents(A, 0)).map((e) => e.message);
    expect(a).toEqual([
      `Created execution graph ${GA} for job ${A}.`,
      `Job orders-enricher v1 (${A}) switched from state CREATED to RUNNING.`,
      `Source: orders-source (1/1) (${GA}_45b0_0_0) switched from CREATED to SCHEDULED.`,
      `Enrich -> discard: Writer (1/1)#0 (${GA}_9c32_0_0) switched from RUNNING to FAILED with failure cause:`,
    ]);
    const b = (await backend.logEvents(B, 0)).map((e) => e.message);
    expect(b).toEqual([
      `Created execution graph ${GB} for job ${B}.`,
      `Source: orders-source (1/1) (${GB}_45b0_0_0) switched from CREATED to SCHEDULED.`,
    ]);
  });

  it('follows appended lines without re-reading, and keeps an event whose stack trace is still being written', async () => {
    const backend = new RestFlinkBackend({
      restUrl: 'http://127.0.0.1:9',
      jobJar: '/nonexistent.jar',
      logDir: dir,
    });
    expect(await backend.logEvents(A, 0)).toHaveLength(4);
    appendFileSync(
      join(dir, 'taskmanager-1.log'),
      `${line('12.000', 'INFO', 'org.apache.flink.runtime.taskmanager.Task', `Source: orders-source (1/1)#1 (${GA}_45b0_0_1) switched from DEPLOYING to INITIALIZING.`)}\n`,
    );
    const events = await backend.logEvents(A, 0);
    expect(events).toHaveLength(5);
    expect(events.find((e) => e.level === 'WARN')?.throwable).toMatch(/Enrich\.java:78/);
  });
});
