import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApplicationCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { systemClock } from '../../src/core/clock.js';
import { runbookContext } from '../../src/runbooks/cli.js';
import { flowDriver } from '../../src/runbooks/driver.js';
import { restartLoop } from '../../src/runbooks/restart-loop.js';
import type { ProgressEvent } from '../../src/runbooks/types.js';
import { type FlowResult, RunbookFlow } from '../../src/ui/runbook/flow.js';
import type { AwsEmulator, FakeFlinkBackend } from '../peers/sandbox/aws-emulator/index.js';
import { startFakeFlinkRest } from '../runbooks/fake-flink-rest.js';
import {
  createInput,
  deployMode,
  eventually,
  type sdkClients,
  startFakeEmulator,
} from '../sandbox/aws-emulator/helpers.js';
import { frameMatching, KEY, press } from './helpers.js';

/**
 * The interactive restart-loop runbook driven through ink-testing-library against the AWS
 * emulator — the same driver the command builds on a terminal: the real diagnosis appears, the
 * operator picks rollback with the keyboard, confirms, and watches the live verify.
 */
describe('interactive restart-loop against the AWS emulator', () => {
  let emu: AwsEmulator;
  let c: ReturnType<typeof sdkClients>;
  let rest: Awaited<ReturnType<typeof startFakeFlinkRest>>;
  const APP = 'ink-orders';
  const describeApp = async () =>
    (await c.msf.send(new DescribeApplicationCommand({ ApplicationName: APP }))).ApplicationDetail!;
  const running = () =>
    eventually(
      async () => ((await describeApp()).ApplicationStatus === 'RUNNING' ? true : undefined),
      'RUNNING',
      30_000,
    );

  beforeAll(async () => {
    let fake: FakeFlinkBackend;
    ({ emu, fake, clients: c } = await startFakeEmulator({ clock: systemClock }));
    rest = await startFakeFlinkRest(fake);
    Object.assign(fake, { restUrl: rest.url });
    await c.msf.send(
      new CreateApplicationCommand(createInput(APP, { snapshots: true, mode: 'healthy', version: 'v1' })),
    );
    await c.msf.send(
      new StartApplicationCommand({
        ApplicationName: APP,
        RunConfiguration: {
          ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
        },
      }),
    );
    await running();
    await c.msf.send(new CreateApplicationSnapshotCommand({ ApplicationName: APP, SnapshotName: 'v1-snap' }));
    await running();
    await c.msf.send(
      new UpdateApplicationCommand({
        ApplicationName: APP,
        CurrentApplicationVersionId: (await describeApp()).ApplicationVersionId!,
        ApplicationConfigurationUpdate: deployMode('user-error', 'v2'),
      }),
    );
    await running();
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    emu.control.putSeries(
      'AWS/KinesisAnalytics',
      'fullRestarts',
      [{ Name: 'Application', Value: APP }],
      Array.from({ length: 17 }, (_, i) => ({
        timestamp: minute - (16 - i) * 60_000,
        value: Math.max(0, i - 8) * 3,
      })),
    );
  });
  afterAll(async () => {
    await emu?.stop();
    await rest?.stop();
  });

  it('shows the real diagnosis, rolls back after y, and verifies live', async () => {
    const config = parseConfigText(
      [
        'aws:',
        '  region: us-east-1',
        `  endpoints: { kinesisanalyticsv2: "${emu.endpoint}", cloudwatch: "${emu.endpoint}", logs: "${emu.endpoint}" }`,
        '  maxAttempts: 1',
        'flink:',
        '  applications:',
        `    - { name: orders, managed: { applicationName: ${APP} } }`,
      ].join('\n'),
      'inline.yaml',
    );
    const listeners = new Set<(e: ProgressEvent) => void>();
    const ctx = runbookContext(
      config,
      { timeout: '1m', interval: '200ms', 'state-dir': mkdtempSync(join(tmpdir(), 'rb-ink-')) },
      {},
      (e) => {
        for (const l of listeners) l(e);
      },
    );
    let result: FlowResult | undefined;
    const { lastFrame, stdin, unmount } = render(
      <RunbookFlow driver={flowDriver(restartLoop, ctx, 'orders', listeners)} onExit={(r) => (result = r)} />,
    );
    try {
      const choosing = await frameMatching(lastFrame, /Options/, 4000);
      expect(choosing).toMatch(/CRITICAL restart loop/);
      expect(choosing).toMatch(/first failure of the loop: java\.lang\.NullPointerException/);
      expect(choosing).toMatch(/cause: the job/);
      expect(choosing).toMatch(/❯ Roll back .*\(recommended\)/);
      await press(stdin, KEY.enter);
      await frameMatching(lastFrame, /\[y\/N\]/);
      expect((await describeApp()).ApplicationVersionRolledBackFrom).toBeUndefined();
      await press(stdin, 'y');
      const done = await frameMatching(lastFrame, /Verify: all subtasks RUNNING/, 4000);
      expect(done).toMatch(/Act: RollbackApplication of orders requested/);
      await press(stdin, 'q');
      expect(result).toMatchObject({ exitCode: 0, chosen: 'rollback', verify: 'healed' });
      expect((await describeApp()).ApplicationVersionRolledBackFrom).toBeDefined();
    } finally {
      unmount();
      ctx.close();
    }
  });
});
