import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { FleetView } from '../../src/services/watch-model.js';
import { WatchApp } from '../../src/ui/watch/app.js';
import { navigate, reselect, rowsOf } from '../../src/ui/watch/nav.js';
import { renderFleetText } from '../../src/ui/watch/text.js';
import { fleet } from './fleet-fixture.js';
import { frameMatching, KEY, press } from './helpers.js';

/** The live fleet view, rendered from a fixed snapshot: the overview, navigation, drill-in, back, refresh, quit. */
describe('streamctl watch (ink)', () => {
  it('shows clusters, applications and incidents; arrows select; Enter drills in; Esc goes back; q quits', async () => {
    let loads = 0;
    let exited: FleetView | undefined;
    const { lastFrame, stdin, unmount } = render(
      <WatchApp
        load={async () => {
          loads++;
          return fleet;
        }}
        intervalMs={0}
        onExit={(v) => (exited = v)}
      />,
    );
    const overview = await frameMatching(lastFrame, /HEALER INCIDENTS/);
    expect(loads).toBe(1);
    expect(overview).toMatch(/❯ prod\s+WARNING\s+3\s+71\.5% \(b2\)/);
    expect(overview).toMatch(/events\s+CRITICAL\s+2 \(1 DOWN: 3\)/);
    expect(overview).toMatch(/orders\s+CRITICAL\s+RUNNING\s+13 \[0 0 0 3 3 3 4\]/);
    expect(overview).toMatch(/legacy\s+OK\s+not polled/);
    expect(overview).toMatch(/restart-loop \(user, npe-in-user-function\); actions: rollback → healed/);
    expect(overview).toMatch(/cloudwatch:GetMetricData×1/);

    await press(stdin, KEY.down);
    await frameMatching(lastFrame, /❯ events/);
    await press(stdin, KEY.enter);
    const cluster = await frameMatching(lastFrame, /Kafka cluster events/);
    expect(cluster).toMatch(/DOWN 3 · URP 120 · under min ISR 4 · offline 2/);
    expect(cluster).toMatch(/Runbook: streamctl runbook broker-down events/);
    await press(stdin, KEY.down); // no movement inside a drill-in
    await press(stdin, KEY.escape);
    await frameMatching(lastFrame, /❯ events/);

    await press(stdin, KEY.down);
    await press(stdin, KEY.enter);
    const app = await frameMatching(lastFrame, /Flink application orders/);
    expect(app).toMatch(/fullRestarts DIFF per minute \(oldest → newest\): 0 0 0 3 3 3 4 → loop/);
    expect(app).toMatch(/failed checkpoints in the window: 5/);
    expect(app).toMatch(/Healer incidents: 1 open/);
    expect(app).toMatch(/Runbook: streamctl runbook restart-loop orders/);
    await press(stdin, KEY.escape);
    await frameMatching(lastFrame, /❯ orders/);

    await press(stdin, 'r');
    await frameMatching(lastFrame, /❯ orders/);
    expect(loads).toBe(2);

    await press(stdin, 'q');
    expect(exited).toBe(fleet);
    unmount();
  });

  it('keeps the selection on the same row when a refresh reorders the fleet', () => {
    const before = rowsOf(fleet);
    const after = rowsOf({ ...fleet, kafka: [fleet.kafka[1]!] });
    const s = navigate(navigate(navigate({ selected: 0 }, 'down', before), 'down', before), 'down', before); // clicks
    expect(before[s.selected]).toMatchObject({ kind: 'flink', name: 'clicks' });
    expect(after[reselect(s, before, after).selected]).toMatchObject({ kind: 'flink', name: 'clicks' });
  });

  it.each([
    ['up at the top stays', { selected: 0 }, 'up', { selected: 0 }],
    ['down at the bottom stays', { selected: 5 }, 'down', { selected: 5 }],
    ['enter drills in', { selected: 2 }, 'enter', { selected: 2, detail: { kind: 'flink', name: 'orders' } }],
    ['escape at the overview does nothing', { selected: 1 }, 'escape', { selected: 1 }],
  ] as const)('%s', (_n, s, key, expected) => {
    expect(navigate(s, key, rowsOf(fleet))).toEqual(expected);
  });

  it('prints one plain snapshot when not on a terminal', () => {
    const text = renderFleetText(fleet);
    expect(text).toMatch(/streamctl watch — 2026-11-22T03:00:00.000Z — CRITICAL/);
    expect(text).toMatch(/orders\s+CRITICAL\s+RUNNING\s+13 \[0 0 0 3 3 3 4\]\s+loop/);
    expect(text).toMatch(/AWS calls this refresh: cloudwatch:GetMetricData×1/);
  });
});
