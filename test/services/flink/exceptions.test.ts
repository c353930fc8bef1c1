import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.js';
import { VirtualClock } from '../../../src/core/clock.js';
import type { StoryEpisode } from '../../../src/monitors/flink-story.js';
import type { JobSummary } from '../../../src/probes/flink-rest/index.js';
import type { FlinkPorts } from '../../../src/services/flink/context.js';
import { exceptionsOf, loopJobOf } from '../../../src/services/flink/exceptions.js';
import { SqliteJournal } from '../../../src/services/healer/journal/sqlite.js';
import { renderExceptions } from '../../../src/ui/render/exceptions.js';

/**
 * After the healer redeployed a self-managed job, the running job is a new one with no failures:
 * `flink exceptions` must still show the loop it healed, from the job that looped (Flink keeps
 * finished jobs in /jobs/overview for jobstore.expiration-time).
 */
const at = (hhmmss: string) => Date.parse(`2026-12-04T${hhmmss}Z`);
const NOW = at('18:40:00');
const NPE =
  'java.lang.NullPointerException: Cannot invoke "String.toUpperCase()" because "region" is null\n\tat com.acme.Enrich.map(Enrich.java:74)\n\tat org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)';
const OLD = 'a'.repeat(32);
const NEW = 'b'.repeat(32);

/** A Flink REST endpoint in Flink 1.20's shapes: the looping job (CANCELED) and its successor. */
function flinkRest(): Server {
  return createServer((req, res) => {
    // `/looping/...`: the loop still runs in its own job (no heal yet), the only job there is.
    const raw = new URL(req.url ?? '/', 'http://x').pathname;
    const looping = raw.startsWith('/looping/');
    const path = looping ? raw.slice('/looping'.length) : raw;
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/jobs/overview' && looping)
      return send({
        jobs: [
          {
            jid: OLD,
            name: 'enricher',
            state: 'RUNNING',
            'start-time': at('18:33:58'),
            tasks: { running: 2 },
          },
        ],
      });
    if (path === '/jobs/overview')
      return send({
        jobs: [
          {
            jid: OLD,
            name: 'enricher',
            state: 'CANCELED',
            'start-time': at('18:33:58'),
            'end-time': at('18:35:10'),
            tasks: { canceled: 2 },
          },
          {
            jid: NEW,
            name: 'enricher',
            state: 'RUNNING',
            'start-time': at('18:35:12'),
            tasks: { running: 2 },
          },
        ],
      });
    if (path === `/jobs/${OLD}/exceptions`)
      return send({
        exceptionHistory: {
          entries: [3, 2, 1].map((n) => ({
            exceptionName: 'java.lang.NullPointerException',
            stacktrace: NPE,
            timestamp: at(`18:34:0${n}`),
            taskName: 'Enrich (1/2)',
          })),
          truncated: false,
        },
      });
    if (path === `/jobs/${NEW}/exceptions`)
      return send({ exceptionHistory: { entries: [], truncated: false } });
    res.writeHead(404).end('{"errors":["not found"]}');
  });
}

const noAws: FlinkPorts = {
  msf: () => {
    throw new Error('unexpected MSF call');
  },
  cloudWatch: () => {
    throw new Error('unexpected CloudWatch call');
  },
  logs: () => {
    throw new Error('unexpected Logs call');
  },
  apiCallStats: () => ({}),
  close: () => undefined,
};

describe('flink exceptions after a heal', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = flinkRest();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('shows the loop the healer healed, from the job that looped, beside the clean new job', async () => {
    // Arrange: the journal of a verified redeploy (incident resolved on the heal).
    const journal = join(mkdtempSync(join(tmpdir(), 'streamctl-exc-')), 'journal.db');
    const j = new SqliteJournal(journal);
    const key = 'enricher/restart-loop/2026-12-04T18:34:07.000Z';
    const id = await j.recordIntent({
      at: at('18:35:05'),
      app: 'enricher',
      incidentKey: key,
      action: { type: 'self-managed-redeploy', jobId: OLD },
      reason: 'bad-deploy-rollback',
      operation: 'SubmitJob',
    });
    await j.recordOutcome({ intentId: id, at: at('18:35:06'), status: 'accepted' });
    await j.recordOutcome({
      intentId: id,
      at: at('18:35:30'),
      status: 'healed',
      detail: 'subtasks: all 2 subtasks RUNNING',
    });
    await j.upsertIncident({
      key,
      app: 'enricher',
      kind: 'restart-loop',
      openedAt: at('18:34:07'),
      updatedAt: at('18:35:30'),
      status: 'resolved',
      resolvedAt: at('18:35:30'),
      loopSince: at('18:34:00'),
      actions: [{ type: 'self-managed-redeploy', at: at('18:35:05'), outcome: 'healed' }],
    });
    await j.close();
    const config = ConfigSchema.parse({
      flink: { applications: [{ name: 'enricher', rest: { url } }] },
      healer: { journal },
    });

    // Act
    const v = await exceptionsOf(config, noAws, 'enricher', { max: 20, clock: new VirtualClock(NOW) });

    // Assert: the new job is clean; the loop's first failure is still reachable, from its own job.
    expect(v).toMatchObject({ source: 'flink-rest', jobId: NEW, entries: [] });
    expect(v.firstFailure).toBeUndefined();
    expect(v.story).toMatchObject({ incidentKey: key, status: 'healed', endedAt: at('18:35:30') });
    expect(v.loop).toMatchObject({ source: 'flink-rest', jobId: OLD });
    expect(v.loop?.entries).toHaveLength(3);
    expect(v.loop?.firstFailure).toMatchObject({ timestamp: at('18:34:01'), loopSize: 3 });
    expect(v.loop?.firstFailure?.classification.rootCause.exception).toBe('java.lang.NullPointerException');
    const text = renderExceptions(v);
    expect(text).toContain(`No failures of the running job ${NEW} since the heal.`);
    expect(text).toContain('healed by self-managed-redeploy at 2026-12-04T18:35:30Z');
    expect(text).toContain(`The loop before the heal (job ${OLD}, from flink-rest):`);
    expect(text).not.toContain('No failures recorded.');
  });

  it('while the loop still runs in its own job, its history is the job’s: no second loop section', async () => {
    const journal = join(mkdtempSync(join(tmpdir(), 'streamctl-exc-')), 'journal.db');
    const j = new SqliteJournal(journal);
    const key = 'enricher/restart-loop/2026-12-04T18:34:07.000Z';
    await j.upsertIncident({
      key,
      app: 'enricher',
      kind: 'restart-loop',
      openedAt: at('18:34:07'),
      updatedAt: at('18:34:07'),
      status: 'open',
      loopSince: at('18:34:00'),
      actions: [],
    });
    await j.close();
    const config = ConfigSchema.parse({
      flink: { applications: [{ name: 'enricher', rest: { url: `${url}/looping` } }] },
      healer: { journal },
    });

    const v = await exceptionsOf(config, noAws, 'enricher', {
      max: 20,
      clock: new VirtualClock(at('18:34:30')),
    });

    expect(v).toMatchObject({ jobId: OLD, story: { status: 'open' } });
    expect(v.firstFailure).toMatchObject({ loopSize: 3 });
    expect(v.loop).toBeUndefined();
  });

  it('without any healer records, the running job is all there is (no loop section)', async () => {
    const config = ConfigSchema.parse({
      flink: { applications: [{ name: 'enricher', rest: { url } }] },
      healer: { journal: join(mkdtempSync(join(tmpdir(), 'streamctl-exc-')), 'none.db') },
    });
    const v = await exceptionsOf(config, noAws, 'enricher', { max: 20, clock: new VirtualClock(NOW) });
    expect(v.loop).toBeUndefined();
    expect(v.story).toBeUndefined();
    expect(renderExceptions(v)).toContain('No failures recorded.');
  });
});

describe('loopJobOf', () => {
  const job = (id: string, start: string, end?: string): JobSummary => ({
    id,
    name: 'enricher',
    state: end ? 'CANCELED' : 'RUNNING',
    startTime: at(start),
    ...(end ? { endTime: at(end) } : {}),
    subtasks: {},
    totalSubtasks: 2,
  });
  const ep: StoryEpisode = {
    incidentKey: 'k',
    kind: 'restart-loop',
    openedAt: at('18:34:07'),
    loopSince: at('18:34:00'),
    status: 'healed',
    statusFrom: 'journal',
    journalStatus: 'resolved',
    endedAt: at('18:35:30'),
  };
  const v1 = job('v1', '18:20:00', '18:33:58');
  const v2 = job('v2', '18:33:58', '18:35:10');
  const v1again = job('v1b', '18:35:12');

  it('is the newest earlier job alive when the loop began, not the healthy one before the deploy', () => {
    expect(loopJobOf([v1, v2, v1again], v1again, ep)?.id).toBe('v2');
  });

  it('is none while the running job is the loop’s own (Flink restarts keep the job id)', () => {
    expect(loopJobOf([v1, v2], job('v2', '18:33:58'), ep)).toBeUndefined();
  });
});
