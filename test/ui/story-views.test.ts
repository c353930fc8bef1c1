import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { VirtualClock } from '../../src/core/clock.js';
import type { Incident } from '../../src/healer/incident.js';
import type { ActionHistory } from '../../src/healer/journal/port.js';
import { policyFromConfig } from '../../src/healer/policy.js';
import { flinkAppQuery } from '../../src/probes/cloudwatch/queries.js';
import type { FlinkPorts } from '../../src/services/flink/context.js';
import { flinkStatus } from '../../src/services/flink/status.js';
import { SqliteJournal } from '../../src/services/healer/journal/sqlite.js';
import type { HealerRecords } from '../../src/services/healer-records.js';
import { flinkRowOf, incidentRowsOf, viewSeverity } from '../../src/services/watch-model.js';
import { renderFlinkStatus } from '../../src/ui/render/flink-status.js';
import { renderFleetText } from '../../src/ui/watch/text.js';
import { FakeCloudWatch } from '../fakes/cloudwatch/fake.js';
import { FakeManagedFlink } from '../fakes/managed-flink/fake.js';

/** The demo's heal (see test/monitors/flink-story.test.ts): every view renders the same story. */
const at = (hhmmss: string) => Date.parse(`2026-12-04T${hhmmss}Z`);
const NOW = at('18:41:10');
const APP = 'orders-enricher';
const KEY = `${APP}/restart-loop/2026-12-04T18:34:07.077Z`;
const COUNTER = [0, 16, 19, 0, 0, 0, 0, 0, 0]; // per minute from 18:33

const incident: Incident = {
  key: KEY,
  app: APP,
  kind: 'restart-loop',
  openedAt: at('18:34:07'),
  updatedAt: at('18:35:22'),
  status: 'open',
  loopSince: at('18:34:00'),
  actions: [{ type: 'rollback', at: at('18:35:07'), outcome: 'healed' }],
};
const action: ActionHistory = {
  id: '1',
  at: at('18:35:07'),
  app: APP,
  incidentKey: KEY,
  action: { type: 'rollback', currentVersionId: 2 },
  reason: 'bad-deploy-rollback',
  operation: 'RollbackApplication',
  outcomes: [
    { intentId: '1', at: at('18:35:07'), status: 'accepted', operationId: 'op-9' },
    { intentId: '1', at: at('18:35:22'), status: 'healed', detail: 'subtasks: all 2 subtasks RUNNING' },
  ],
};
const records: HealerRecords = { incidents: [incident], actions: [action] };
const points = COUNTER.map((value, i) => ({ t: at('18:33:00') + i * 60_000, value }));
const loop = policyFromConfig({}).loop;

describe('watch after a verified heal', () => {
  const app = { name: APP, status: 'RUNNING', runtime: 'FLINK-1_20', versionId: 3 };

  it('shows the row healed and OK with the story, where the counter alone says CRITICAL', () => {
    const alone = flinkRowOf(app, 'fullRestarts', { restarts: points.slice(0, 3) }, loop, {
      now: at('18:35:40'),
      windowMs: 900_000,
    });
    const told = flinkRowOf(app, 'fullRestarts', { restarts: points.slice(0, 3) }, loop, {
      now: at('18:35:40'),
      windowMs: 900_000,
      records,
    });

    expect(alone).toMatchObject({ severity: 'CRITICAL', loop: 'loop' });
    expect(told).toMatchObject({ severity: 'OK', loop: 'healed' });
    expect(told.story).toMatch(/^loop over: healed by rollback from v2 at 2026-12-04T18:35:22Z/);
  });

  it('lists the incident as healed (not open), and it does not raise the view to WARNING', () => {
    const flink = [
      flinkRowOf(app, 'fullRestarts', { restarts: points }, loop, { now: NOW, windowMs: 900_000, records }),
    ];
    const incidents = incidentRowsOf(records, NOW, 900_000);

    expect(incidents).toEqual([
      expect.objectContaining({
        app: APP,
        status: 'healed',
        summary: expect.stringContaining('healed by rollback from v2 at 2026-12-04T18:35:22Z'),
      }),
    ]);
    expect(viewSeverity({ kafka: [], flink, incidents })).toBe('OK');
    const text = renderFleetText({
      at: NOW,
      windowMs: 900_000,
      severity: 'OK',
      kafka: [],
      flink,
      incidents,
      calls: {},
      errors: [],
    });
    expect(text).toMatch(
      /orders-enricher +OK +RUNNING +0 since the heal \(19 before\) \[.*\] +healed +- +loop over: healed by rollback/,
    );
    expect(text).toContain('Healer incidents (1 healed)');
    expect(text).not.toContain('open since');
  });

  it('does not list an older incident an old daemon left open once its heal was verified', () => {
    const older = { ...incident, key: `${APP}/restart-loop/old`, openedAt: at('17:00:00') };
    const olderAction = { ...action, id: '0', incidentKey: older.key, at: at('17:01:00') };
    const rows = incidentRowsOf(
      { incidents: [older, incident], actions: [olderAction, action] },
      NOW,
      900_000,
    );
    expect(rows.map((r) => r.openedAt)).toEqual([at('18:34:07')]);
  });

  it('keeps an incident whose rollback failed open, and the view at least WARNING', () => {
    const failed = {
      ...action,
      outcomes: [action.outcomes[0]!, { intentId: '1', at: at('18:37:00'), status: 'failed' as const }],
    };
    const incidents = incidentRowsOf(
      {
        incidents: [{ ...incident, actions: [{ type: 'rollback', at: at('18:35:07'), outcome: 'failed' }] }],
        actions: [failed],
      },
      NOW,
      900_000,
    );
    expect(incidents[0]).toMatchObject({ status: 'not-healed' });
    expect(viewSeverity({ kafka: [], flink: [], incidents })).toBe('WARNING');
  });
});

describe('flink status after a verified heal', () => {
  it('tells the heal, the restarts before it as history, and the collapsed table', async () => {
    // Arrange: the real journal and the counter the demo left.
    const journal = join(mkdtempSync(join(tmpdir(), 'streamctl-sv-')), 'journal.db');
    const j = new SqliteJournal(journal);
    const id = await j.recordIntent({
      at: action.at,
      app: APP,
      incidentKey: KEY,
      action: action.action,
      reason: action.reason,
      operation: action.operation,
    });
    for (const o of action.outcomes) await j.recordOutcome({ ...o, intentId: id });
    await j.upsertIncident(incident);
    await j.close();
    const config = ConfigSchema.parse({
      flink: { applications: [{ name: APP, managed: { applicationName: APP } }] },
      healer: { journal },
    });
    // READY keeps the dashboard out of this test: the story does not depend on it.
    const msf = new FakeManagedFlink(() => NOW);
    msf.add({ applicationName: APP, status: 'READY', runtime: 'FLINK-1_20' });
    const cw = new FakeCloudWatch();
    cw.put(flinkAppQuery(APP, APP, 'restarts', { runtime: 'FLINK-1_20' }), points);
    const ports: FlinkPorts = {
      msf: () => msf,
      cloudWatch: () => cw,
      logs: () => {
        throw new Error('unexpected Logs call');
      },
      apiCallStats: () => ({}),
      close: () => undefined,
    };

    // Act
    const s = await flinkStatus(config, ports, APP, new VirtualClock(NOW));
    const text = renderFlinkStatus(s, NOW);

    // Assert
    expect(s.story).toMatchObject({ state: 'healed', severity: 'OK' });
    expect(s.findings.find((f) => f.code === 'flink.restart-loop')).toBeUndefined();
    expect(s.findings.find((f) => f.code === 'flink.healed')).toMatchObject({
      severity: 'OK',
      advice: `streamctl healer history ${APP}`,
    });
    expect(text).toMatch(/restarts +0 since the heal, 19 before it \(\d+ min\)/);
    expect(text).toContain(
      'incident     restart-loop opened 2026-12-04T18:34:07Z: healed by rollback from v2 at 2026-12-04T18:35:22Z',
    );
    expect(text).toMatch(/–18:33 +\? +no datapoints \(\d+ periods\): unknown; before the heal/);
    expect(text).toMatch(/18:34 +16 +before the heal/);
    expect(text).toMatch(/18:36–18:41 +0 +after the heal/);
    expect(text.split('\n').filter((l) => /^\d\d:\d\d(–\d\d:\d\d)? +\?/.test(l))).toHaveLength(1);
  });
});
