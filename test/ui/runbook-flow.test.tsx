import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { explain } from '../../src/runbooks/engine.js';
import type { LifecycleView } from '../../src/runbooks/flink-io.js';
import { type RestartLoopDiagnosis, restartLoop } from '../../src/runbooks/restart-loop.js';
import type { ActResult, ProgressEvent, RunbookOption } from '../../src/runbooks/types.js';
import { type FlowDriver, type FlowResult, RunbookFlow } from '../../src/ui/runbook/flow.js';
import { frameMatching, KEY, press } from './helpers.js';

/**
 * The interactive runbook as an operator drives it: the five steps, the findings, the option
 * picker (arrows, Enter), the y/N confirmation before a destructive action, live progress, the
 * outcome. The driver returns a fixed diagnosis and records what the flow asked it to do.
 */
const allowed: LifecycleView = {
  allowed: true,
  refusals: [],
  explanation: ['RollbackApplication on rb-orders'],
  latestSnapshot: 'snap-v1',
};
const diagnosis: RestartLoopDiagnosis = {
  app: 'orders',
  kind: 'managed',
  status: 'RUNNING',
  versionId: 2,
  loop: { state: 'loop', restarts: 24, metric: 'fullRestarts', perMinute: [0, 3, 3, 3, 3] },
  firstFailure: {
    verdict: 'user',
    confidence: 0.93,
    subtype: 'npe-in-user-function',
    exception: 'java.lang.NullPointerException',
    frame: 'com.acme.Enrich.map(Enrich.java:42)',
    source: 'flink-rest',
  },
  recentChange: { operation: 'UpdateApplication', at: '2026-11-22T00:00:00Z' },
  rollback: allowed,
  forceStop: { ...allowed, restartOptions: [] },
  severity: 'CRITICAL',
};

function fixedDriver() {
  const acted: string[] = [];
  const listeners = new Set<(e: ProgressEvent) => void>();
  const emit = (text: string) => {
    for (const l of listeners) l({ step: 'verify', at: 0, text });
  };
  let releaseVerify!: () => void;
  const verifyGate = new Promise<void>((r) => {
    releaseVerify = r;
  });
  const driver: FlowDriver = {
    title: restartLoop.title,
    target: 'orders',
    steps: restartLoop.steps,
    diagnose: async () => explain(restartLoop, diagnosis),
    act: async (o: RunbookOption) => {
      acted.push(o.id);
      const act: ActResult = { summary: `${o.id} requested (operation op-7)`, lines: [] };
      return {
        step: { kind: 'act', title: restartLoop.steps.act, status: 'done', summary: act.summary, lines: [] },
        act,
      };
    },
    verify: async () => {
      emit('12:00:01 settling: application is ROLLING_BACK');
      await verifyGate;
      emit('12:00:05 all-running: 1/1 subtasks RUNNING');
      return {
        step: {
          kind: 'verify',
          title: restartLoop.steps.verify,
          status: 'done',
          severity: 'OK',
          summary: 'all subtasks RUNNING (2 polls)',
          lines: [],
        },
        verify: { outcome: 'healed', summary: 'all subtasks RUNNING (2 polls)', lines: [] },
      };
    },
    onProgress: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { driver, acted, releaseVerify };
}

describe('the interactive runbook flow (ink)', () => {
  it('shows the steps and findings, picks with the arrows, confirms, acts, and shows the live verify', async () => {
    const { driver, acted, releaseVerify } = fixedDriver();
    let result: FlowResult | undefined;
    const { lastFrame, stdin, unmount } = render(
      <RunbookFlow driver={driver} onExit={(r) => (result = r)} />,
    );

    const choosing = await frameMatching(lastFrame, /Options/);
    expect(choosing).toMatch(/✔ 1\. Read the restart counter/);
    expect(choosing).toMatch(/▸ 2\. Explain the cause/);
    expect(choosing).toMatch(/CRITICAL restart loop: 24 restarts/);
    expect(choosing).toMatch(/❯ Roll back to the previous version \(RollbackApplication\) \(recommended\)/);
    expect(choosing).toMatch(/Needs a snapshot: state is restored from snap-v1/);

    await press(stdin, KEY.down);
    const onForceStop = await frameMatching(lastFrame, /❯ Force-stop/);
    expect(onForceStop).toMatch(/Takes NO snapshot/);
    await press(stdin, KEY.up);
    await frameMatching(lastFrame, /❯ Roll back/);

    await press(stdin, KEY.enter);
    const confirming = await frameMatching(lastFrame, /\[y\/N\]/);
    expect(confirming).toMatch(/▸ 3\. Confirm the chosen action/);
    expect(acted).toEqual([]); // nothing happens before the confirmation

    await press(stdin, 'n'); // back to the picker: still nothing done
    await frameMatching(lastFrame, /Options/);
    expect(acted).toEqual([]);

    await press(stdin, KEY.enter);
    await frameMatching(lastFrame, /\[y\/N\]/);
    await press(stdin, 'y');
    const verifying = await frameMatching(lastFrame, /Verifying…/);
    expect(verifying).toMatch(/settling: application is ROLLING_BACK/);
    expect(verifying).toMatch(/▸ 5\. Poll the subtasks/);
    expect(acted).toEqual(['rollback']);

    releaseVerify();
    const done = await frameMatching(lastFrame, /Verify: all subtasks RUNNING/);
    expect(done).toMatch(/Act: rollback requested \(operation op-7\)/);
    expect(done).toMatch(/✔ 5\. Poll the subtasks/);
    await press(stdin, 'q');
    expect(result).toEqual({ exitCode: 0, chosen: 'rollback', verify: 'healed' });
    unmount();
  });

  it('quits from the picker with q: nothing is done', async () => {
    const { driver, acted } = fixedDriver();
    let result: FlowResult | undefined;
    const { lastFrame, stdin, unmount } = render(
      <RunbookFlow driver={driver} onExit={(r) => (result = r)} />,
    );
    await frameMatching(lastFrame, /Options/);
    await press(stdin, 'q');
    expect(acted).toEqual([]);
    expect(result).toEqual({ exitCode: 2, quit: true });
    unmount();
  });

  it('an option that changes nothing needs no confirmation and prints what to do', async () => {
    const { driver, acted } = fixedDriver();
    const { lastFrame, stdin, unmount } = render(<RunbookFlow driver={driver} />);
    await frameMatching(lastFrame, /Options/);
    await press(stdin, KEY.down);
    await press(stdin, KEY.down);
    await frameMatching(lastFrame, /❯ Wait/);
    await press(stdin, KEY.enter);
    const done = await frameMatching(lastFrame, /Nothing was changed/);
    expect(done).not.toMatch(/\[y\/N\]/);
    expect(acted).toEqual([]);
    unmount();
  });

  it('an unavailable option cannot be picked', async () => {
    const { driver, acted } = fixedDriver();
    driver.diagnose = async () =>
      explain(restartLoop, {
        ...diagnosis,
        forceStop: { allowed: false, refusals: ['status is READY'], explanation: [] },
      });
    const { lastFrame, stdin, unmount } = render(<RunbookFlow driver={driver} />);
    const f = await frameMatching(lastFrame, /Options/);
    expect(f).toMatch(/Force-stop .*\[unavailable: status is READY\]/);
    await press(stdin, KEY.down); // skips the unavailable force-stop
    await frameMatching(lastFrame, /❯ Wait/);
    expect(acted).toEqual([]);
    unmount();
  });

  it('a diagnosis that fails marks step 1 failed, shows the error, and exits with its code', async () => {
    const { driver, acted } = fixedDriver();
    driver.diagnose = async () => {
      throw Object.assign(new Error('kafka cluster down: cannot connect'), { exitCode: 69 });
    };
    let result: FlowResult | undefined;
    const { lastFrame, stdin, unmount } = render(
      <RunbookFlow driver={driver} onExit={(r) => (result = r)} />,
    );
    const f = await frameMatching(lastFrame, /Error: kafka cluster down/);
    expect(f).toMatch(/✖ 1\. Read the restart counter/);
    expect(f).toMatch(/○ 2\. Explain/);
    await press(stdin, 'q');
    expect(result).toEqual({ exitCode: 69 });
    expect(acted).toEqual([]);
    unmount();
  });
});
