import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveObserveDeps } from '../../src/cli/live-ports.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { VirtualClock } from '../../src/core/clock.js';
import { flinkAppQuery } from '../../src/probes/cloudwatch/queries.js';
import { gatherReport, restartColumns } from '../../src/report/gather.js';
import { allFindings, restartsText } from '../../src/report/model.js';
import { renderHtml } from '../../src/report/render-html.js';
import { renderMarkdown } from '../../src/report/render-md.js';
import type { FlinkPorts } from '../../src/services/flink/context.js';
import { SqliteJournal } from '../../src/services/healer/journal/sqlite.js';
import { FakeCloudWatch } from '../fakes/cloudwatch/fake.js';
import { FakeManagedFlink } from '../fakes/managed-flink/fake.js';

/**
 * The report after the demo's heal: one story — the loop is over, healed by the rollback at
 * 18:35:22, its 19 restarts shown as history — not a CRITICAL loop, a CRITICAL open incident and
 * "0 restarts in the window" side by side.
 */
const at = (hhmmss: string) => Date.parse(`2026-12-04T${hhmmss}Z`);
const NOW = at('18:41:10');
const APP = 'orders-enricher';

async function demoJournal(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'streamctl-rs-')), 'journal.db');
  const j = new SqliteJournal(file);
  const key = `${APP}/restart-loop/2026-12-04T18:34:07.077Z`;
  const id = await j.recordIntent({
    at: at('18:35:07'),
    app: APP,
    incidentKey: key,
    action: { type: 'rollback', currentVersionId: 2 },
    reason: 'bad-deploy-rollback',
    operation: 'RollbackApplication',
  });
  await j.recordOutcome({ intentId: id, at: at('18:35:07'), status: 'accepted', operationId: 'op-9' });
  await j.recordOutcome({
    intentId: id,
    at: at('18:35:22'),
    status: 'healed',
    detail: 'subtasks: all 2 subtasks RUNNING',
  });
  // As the demo's daemon left it: the heal verified, the incident still open.
  await j.upsertIncident({
    key,
    app: APP,
    kind: 'restart-loop',
    openedAt: at('18:34:07'),
    updatedAt: at('18:35:22'),
    status: 'open',
    loopSince: at('18:34:00'),
    actions: [{ type: 'rollback', at: at('18:35:07'), outcome: 'healed' }],
  });
  await j.close();
  return file;
}

function ports(): FlinkPorts {
  const msf = new FakeManagedFlink(() => NOW);
  msf.add({ applicationName: APP, status: 'RUNNING', runtime: 'FLINK-1_20' });
  const cw = new FakeCloudWatch();
  // The app exists from 18:33; v2 loops (16 + 3 restarts), the rollback's new job resets to 0.
  const counter = [0, 16, 19, 0, 0, 0, 0, 0, 0];
  cw.put(
    flinkAppQuery(APP, APP, 'restarts', { runtime: 'FLINK-1_20' }),
    counter.map((value, i) => ({ t: at('18:33:00') + i * 60_000, value })),
  );
  return {
    msf: () => msf,
    cloudWatch: () => cw,
    logs: () => {
      throw new Error('unexpected Logs call');
    },
    apiCallStats: () => ({}),
    close: () => undefined,
  };
}

describe('the report after a verified heal', () => {
  it('tells one story: healed, the restarts before it as history, no CRITICAL loop or open incident', async () => {
    const config = ConfigSchema.parse({
      flink: { applications: [{ name: APP, managed: { applicationName: APP } }] },
      healer: { journal: await demoJournal() },
    });

    const r = await gatherReport(config, {
      sinceMs: 86_400_000,
      kafkaDeps: liveObserveDeps(),
      clock: new VirtualClock(NOW),
      ports: ports(),
    });

    const app = r.flink[0]!;
    expect(app.story).toMatchObject({
      state: 'healed',
      severity: 'OK',
      countFrom: at('18:36:00'),
      restartsBefore: 19,
    });
    const findings = allFindings(r).filter(
      (f) => f.target === `flink/${APP}` || f.target === `healer/${APP}`,
    );
    expect(
      findings.filter((f) => f.code === 'flink.restart-loop' || f.code === 'healer.open-incident'),
    ).toEqual([]);
    expect(findings.find((f) => f.code === 'flink.healed')).toMatchObject({ severity: 'OK' });
    expect(r.healer.openIncidents).toEqual([]);
    expect(r.healer.endedIncidents).toHaveLength(1);
    expect(r.healer.endedIncidents?.[0]?.summary).toContain(
      'healed by rollback from v2 at 2026-12-04T18:35:22Z',
    );
    expect(restartsText(app)).toMatch(
      /^19 restart\(s\) in the window: 19 before the heal at 18:35, 0 since; no data in the first \d+ minute\(s\)$/,
    );
    const html = renderHtml(r);
    expect(html).toContain('class="col history"');
    expect(html).toContain('healed 18:35');
    expect(html).toContain('<rect class="no-data"');
    expect(html).not.toMatch(/0 restart\(s\) in the window/);
    expect(renderMarkdown(r)).toContain(
      `- **${APP}**: loop over: healed by rollback from v2 at 2026-12-04T18:35:22Z`,
    );
  });
});

describe('restartColumns', () => {
  const series = (values: Array<number | null>, from: number) => ({
    metric: 'fullRestarts' as const,
    source: 'cloudwatch' as const,
    periodMs: 60_000,
    points: values.map((v, i) => ({ t: from + i * 60_000, value: v ?? undefined })),
  });

  it('keeps the restarts of a reset inside what would be one coarse period (1-minute DIFFs, summed)', () => {
    // 6 h window → 1-minute columns; a 24 h window → 4-minute columns.
    const since = at('18:00:00') - 86_400_000 + 3_600_000;
    const c = restartColumns(series([0, 16, 19, 0, 0], at('18:32:00')), undefined, since, at('18:37:00'));
    expect(c.periodMs).toBe(4 * 60_000);
    expect(c.restarts.reduce((n, p) => n + (p.value ?? 0), 0)).toBe(19);
  });

  it('counts the minutes before the first datapoint as no data and the gaps after it as missing', () => {
    const c = restartColumns(
      series([null, null, 0, null, 2, 2], at('18:30:00')),
      undefined,
      at('18:31:00'),
      at('18:35:00'),
    );
    expect(c).toMatchObject({ periodMs: 60_000, noDataBefore: 2, missing: 1 });
  });

  it('starts the columns at the heal, so no column mixes history and now', () => {
    const heal = at('18:36:00');
    const c = restartColumns(
      series([0, 16, 19, 0, 1, 1], at('18:33:00')),
      heal,
      at('18:39:00') - 86_400_000,
      at('18:39:00'),
    );
    expect(c.periodMs).toBe(4 * 60_000);
    expect(c.restarts.every((p) => (p.t - heal) % c.periodMs === 0)).toBe(true);
    expect(c.restarts.filter((p) => p.value !== undefined)).toEqual([
      { t: at('18:32:00'), value: 19 },
      { t: heal, value: 1 },
    ]);
  });
});
