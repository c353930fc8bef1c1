import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/healer/incident.js';
import type { ActionHistory, OutcomeRecord } from '../../src/healer/journal/port.js';
import type { RestartCounterSeries } from '../../src/healer/observation.js';
import { policyFromConfig } from '../../src/healer/policy.js';
import { appStory, type StoryInput, storyFinding, storyPeriods } from '../../src/monitors/flink-story.js';

/**
 * The demo's story, as a fixture: v2 loops with 16 restarts in 18:34 and 3 in 18:35, the healer
 * rolls back at 18:35:07 and verifies the heal at 18:35:22; the old job's restarts are still in the
 * 18:35 period (Maximum per minute), the new job's counter resets in 18:36.
 */
const MIN = 60_000;
const T0 = Date.parse('2026-12-04T18:30:00Z');
const at = (hhmmss: string) => Date.parse(`2026-12-04T${hhmmss}Z`);
const loop = policyFromConfig({}).loop;
const APP = 'orders-enricher';

/** A counter per minute from T0; `null` = missing datapoint. */
function series(values: Array<number | null>): RestartCounterSeries {
  return {
    metric: 'fullRestarts',
    source: 'cloudwatch',
    periodMs: MIN,
    points: values.map((v, i) => ({ t: T0 + i * MIN, value: v ?? undefined })),
  };
}

function incident(over: Partial<Incident> = {}): Incident {
  return {
    key: `${APP}/restart-loop/2026-12-04T18:34:07.077Z`,
    app: APP,
    kind: 'restart-loop',
    openedAt: at('18:34:07'),
    updatedAt: at('18:35:22'),
    status: 'open',
    loopSince: at('18:34:00'),
    classification: {
      verdict: 'user',
      confidence: 0.94,
      subtype: 'npe-in-user-function',
      rootCause: {
        exception: 'java.lang.NullPointerException',
        message: '',
        frame: 'Enrich.map(Enrich.java:74)',
      },
      signals: [],
    },
    actions: [{ type: 'rollback', at: at('18:35:07'), outcome: 'healed' }],
    ...over,
  };
}

function rollback(
  outcomes: Array<Pick<OutcomeRecord, 'at' | 'status'> & { detail?: string }>,
): ActionHistory {
  return {
    id: '1',
    at: at('18:35:07'),
    app: APP,
    incidentKey: incident().key,
    action: { type: 'rollback', currentVersionId: 2 },
    reason: 'bad-deploy-rollback',
    operation: 'RollbackApplication',
    outcomes: outcomes.map((o) => ({ intentId: '1', ...o })),
  };
}

const ACCEPTED = { at: at('18:35:07'), status: 'accepted' as const };
const HEALED = { at: at('18:35:22'), status: 'healed' as const, detail: 'subtasks: all 2 subtasks RUNNING' };

/** 18:30 … 18:33 quiet, 18:34 +16, 18:35 +3, then the new job (reset to 0) and `after` more values. */
const LOOP_THEN = (...after: Array<number | null>) => series([0, 0, 0, 0, 16, 19, ...after]);

function story(over: Partial<StoryInput>) {
  return appStory({
    app: APP,
    now: at('18:41:10'),
    series: LOOP_THEN(0, 0, 0, 0, 0),
    loop,
    windowStart: at('18:26:10'),
    incidents: [incident()],
    actions: [rollback([ACCEPTED, HEALED])],
    ...over,
  });
}

describe('appStory: after a verified heal every view tells the same story', () => {
  it('says the loop is over, healed by this action at this time, with the restarts before it as history', () => {
    const s = story({});

    expect(s).toMatchObject({ state: 'healed', severity: 'OK', countFrom: at('18:36:00') });
    expect(s.episode).toMatchObject({
      status: 'healed',
      statusFrom: 'action-outcome',
      endedAt: at('18:35:22'),
    });
    expect(s.before).toEqual({ restarts: 19, firstAt: at('18:34:00'), lastAt: at('18:35:00') });
    expect(s.current.state).toBe('quiet');
    expect(s.headline).toBe(
      'loop over: healed by rollback from v2 at 2026-12-04T18:35:22Z; since then no restarts for 5 period(s); 19 restart(s) before it — NullPointerException, user (npe-in-user-function)',
    );
  });

  it('is not CRITICAL right after the heal, while the heal’s own period still carries the old job’s restarts', () => {
    // Arrange: 18:35:40, nothing published after 18:35 yet; the counter alone says "loop".
    const s = story({ now: at('18:35:40'), series: LOOP_THEN() });

    expect(story({ now: at('18:35:40'), series: LOOP_THEN(), incidents: [], actions: [] }).state).toBe(
      'loop',
    );
    expect(s).toMatchObject({ state: 'healed', severity: 'OK' });
    expect(s.headline).toContain('no restart-counter period published yet');
  });

  it('tells the journal’s resolution when the healer resolved the incident on the verified heal', () => {
    const resolved = incident({
      status: 'resolved',
      resolvedAt: at('18:35:22'),
      resolution: {
        by: 'action',
        action: 'rollback',
        actionAt: at('18:35:07'),
        at: at('18:35:22'),
        evidence: 'all RUNNING',
      },
    });

    const s = story({ incidents: [resolved] });

    expect(s).toMatchObject({ state: 'healed', severity: 'OK' });
    expect(s.episode).toMatchObject({ status: 'healed', statusFrom: 'journal', journalStatus: 'resolved' });
  });

  it('says the loop came back when the current job loops after the heal, whatever the journal says', () => {
    const s = story({ series: LOOP_THEN(0, 4, 8, 12) });

    expect(s).toMatchObject({ state: 'loop', severity: 'CRITICAL' });
    expect(s.headline).toMatch(
      /^loop again: fail-and-restart loop: 12 restarts in 3 periods since it was healed by rollback/,
    );
    expect(storyFinding(s)).toMatchObject({
      code: 'flink.restart-loop',
      advice: `streamctl runbook restart-loop ${APP}`,
    });
  });

  it('is a WARNING, not a loop, for one restart after the heal', () => {
    const s = story({ series: LOOP_THEN(0, 0, 1, 1, 1) });
    expect(s).toMatchObject({ state: 'restarting', severity: 'WARNING' });
  });

  it('is UNKNOWN, never OK, when datapoints after the heal are missing', () => {
    const s = story({ series: LOOP_THEN(null, null, null, null, null) });
    expect(s).toMatchObject({ state: 'healed', severity: 'UNKNOWN' });
  });

  it.each([
    // heal time → first current period: a restart in 18:36 is current when the heal came before 18:36:00.001
    ['18:35:59.999', at('18:36:00'), 'restarting'],
    ['18:36:00.000', at('18:36:00'), 'restarting'],
    ['18:36:00.001', at('18:37:00'), 'healed'],
  ])('counts from the first period starting at or after the heal (heal at %s)', (t, countFrom, state) => {
    const healed = { ...HEALED, at: Date.parse(`2026-12-04T${t}Z`) };
    const s = story({ series: LOOP_THEN(1, 1, 1, 1, 1), actions: [rollback([ACCEPTED, healed])] });
    expect(s.countFrom).toBe(countFrom);
    expect(s.state).toBe(state);
  });
});

describe('appStory: before and without a heal', () => {
  it('is the loop rule alone when the healer has no records', () => {
    const s = story({ now: at('18:35:40'), series: LOOP_THEN(), incidents: [], actions: [] });
    expect(s).toMatchObject({
      state: 'loop',
      severity: 'CRITICAL',
      headline: 'fail-and-restart loop: 19 restarts in 2 periods',
    });
    expect(s.episode).toBeUndefined();
  });

  it('says the action is in flight while the loop goes on (CRITICAL until verified)', () => {
    const s = story({
      now: at('18:35:40'),
      series: LOOP_THEN(),
      actions: [rollback([ACCEPTED])],
      incidents: [incident({ actions: [{ type: 'rollback', at: at('18:35:07') }] })],
    });
    expect(s).toMatchObject({ state: 'loop', severity: 'CRITICAL' });
    expect(s.episode?.status).toBe('acting');
    expect(s.headline).toContain("the healer's rollback from v2 is in flight since 2026-12-04T18:35:07Z");
  });

  it.each([
    ['failed', 'failed'],
    ['rejected', 'rejected'],
    ['reconciled-unknown', 'reconciled-unknown'],
  ] as const)('is CRITICAL when the action %s, even once the counter is quiet', (status, outcome) => {
    const s = story({
      actions: [rollback([ACCEPTED, { at: at('18:36:30'), status }])],
      incidents: [incident({ actions: [{ type: 'rollback', at: at('18:35:07') }] })],
    });
    expect(s).toMatchObject({ state: 'not-healed', severity: 'CRITICAL' });
    expect(s.episode?.action?.outcome).toBe(outcome);
  });

  it('is CRITICAL when the incident says the loop came back after the heal (did-not-heal)', () => {
    const s = story({
      incidents: [incident({ actions: [{ type: 'rollback', at: at('18:35:07'), outcome: 'did-not-heal' }] })],
    });
    expect(s).toMatchObject({ state: 'not-healed', severity: 'CRITICAL' });
  });

  it('keeps an open incident without an action at least a WARNING while the counter is quiet', () => {
    const s = story({ incidents: [incident({ actions: [] })], actions: [] });
    expect(s).toMatchObject({ state: 'quiet', severity: 'WARNING' });
    expect(s.headline).toContain('incident open since 2026-12-04T18:34:07Z, no action taken');
  });

  it('says a force-stop stopped the loop and the application needs a restart (WARNING)', () => {
    const stop: ActionHistory = {
      ...rollback([ACCEPTED, { at: at('18:35:22'), status: 'stopped' }]),
      action: { type: 'force-stop' },
    };
    const s = story({
      actions: [stop],
      incidents: [incident({ actions: [{ type: 'force-stop', at: at('18:35:07'), outcome: 'healed' }] })],
    });
    expect(s).toMatchObject({ state: 'stopped', severity: 'WARNING' });
    expect(s.headline).toContain('stopped (no snapshot taken: restart it by hand) by force-stop');
  });

  it('leaves out an episode that ended before the window and the last hour', () => {
    const old = incident({ status: 'resolved', resolvedAt: at('16:00:00'), openedAt: at('15:50:00') });
    const s = story({ incidents: [old], actions: [] });
    expect(s.episode).toBeUndefined();
    expect(s.headline).toBe('no restarts in the window');
  });

  it('tells MSF’s own system rollback as how the incident ended', () => {
    const inc = incident({
      kind: 'failed-operation',
      actions: [],
      status: 'resolved',
      resolvedAt: at('18:35:00'),
      resolution: {
        by: 'system-rollback',
        at: at('18:35:00'),
        operationId: 'op-9',
        evidence: 'UpdateApplication op-8 failed; MSF system rollback op-9 SUCCESSFUL',
      },
    });
    const s = story({ incidents: [inc], actions: [], series: series([0, 0, 0, 0, 0, 0, 0, 0, 0]) });
    expect(s).toMatchObject({ state: 'quiet', severity: 'OK' });
    expect(s.headline).toContain("was rolled back by MSF's system rollback at 2026-12-04T18:35:00Z");
  });
});

describe('storyPeriods', () => {
  it('marks each period before or after the heal, with resets read as the loop rule reads them', () => {
    const p = storyPeriods(LOOP_THEN(0, 1), at('18:36:00'));
    expect(p.map((x) => [x.restarts, x.phase])).toEqual([
      [undefined, 'before'],
      [0, 'before'],
      [0, 'before'],
      [0, 'before'],
      [16, 'before'],
      [3, 'before'],
      [0, 'after'],
      [1, 'after'],
    ]);
  });
});
