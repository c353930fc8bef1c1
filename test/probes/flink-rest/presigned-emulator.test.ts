import {
  CreateApplicationCommand,
  CreateApplicationPresignedUrlCommand,
  StartApplicationCommand,
  StopApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { redactString } from '../../../src/core/redact.js';
import {
  DashboardUnavailable,
  evaluateSubtasks,
  type FlinkRestPort,
  flinkRestPort,
  PresignedTransport,
} from '../../../src/probes/flink-rest/index.js';
import type { FlinkPeerInfo } from '../../peers/kinds/flink.js';
import { type AwsEmulator, startAwsEmulator } from '../../peers/sandbox/aws-emulator/index.js';
import { usePeer } from '../../peers/use.js';
import { createInput, eventually, sdkClients } from '../../sandbox/aws-emulator/helpers.js';

/**
 * End to end through the presigned dashboard: a real SDK CreateApplicationPresignedUrl against the
 * AWS emulator, whose /flinkdashboard proxies to the real Flink 1.20 cluster running the
 * application's job. A private emulator (its clock is advanced here); the Flink cluster is shared.
 */
describe('PresignedTransport via the AWS emulator and real Flink', { timeout: 300_000 }, () => {
  const APP = 'flink-rest-presigned';
  let emu: AwsEmulator;
  let c: ReturnType<typeof sdkClients>;
  let clock: Clock;
  let presigned: number;
  const presign = async () => {
    presigned++;
    const out = await c.msf.send(
      new CreateApplicationPresignedUrlCommand({ ApplicationName: APP, UrlType: 'FLINK_DASHBOARD_URL' }),
    );
    return { authorizedUrl: out.AuthorizedUrl ?? '' };
  };
  const portWith = (opts: { maxUnusedAgeMs?: number } = {}): FlinkRestPort =>
    flinkRestPort(new PresignedTransport(presign, clock, { label: APP, ...opts }));

  beforeAll(async () => {
    const flink = await usePeer<FlinkPeerInfo>('flink', {});
    emu = await startAwsEmulator({ flink, sampleIntervalMs: 0, pollMs: 250 });
    c = sdkClients(emu.endpoint);
    // The transport judges URL age on the emulator's clock, as it would on AWS's.
    clock = { now: () => emu.control.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
    await c.msf.send(new CreateApplicationCommand(createInput(APP, { snapshots: false })));
    await c.msf.send(new StartApplicationCommand({ ApplicationName: APP, RunConfiguration: {} }));
    await eventually(
      async () =>
        (
          await portWith()
            .jobs()
            .catch(() => undefined)
        )?.length === 1 || undefined,
      `${APP} RUNNING with its job`,
    );
  });

  afterAll(async () => {
    await c?.msf
      .send(new StopApplicationCommand({ ApplicationName: APP, Force: true }))
      .catch(() => undefined);
    await emu?.stop();
  });

  it('reads the application’s job and judges its subtasks through the dashboard', async () => {
    presigned = 0;
    const port = portWith();

    const [job] = await port.jobs();
    const view = await eventually(async () => {
      const v = await port.job(job?.id ?? '');
      return evaluateSubtasks(v).kind === 'all-running' ? v : undefined;
    }, 'all subtasks RUNNING');

    expect(view.name).toContain('v1');
    expect(presigned).toBe(1);
  });

  it('on the emulator’s 403 (a URL first used after 3 minutes) fetches one fresh URL and retries once', async () => {
    const aged = await presign(); // minted now, used only after the 3-minute window
    presigned = 0;
    let handedOut = false;
    const handOutAgedFirst = async () => {
      if (handedOut) return presign();
      handedOut = true;
      return aged;
    };
    const port = flinkRestPort(new PresignedTransport(handOutAgedFirst, clock, { label: APP }));
    emu.control.advanceClock(3 * 60_000 + 1_000);

    const jobs = await port.jobs();

    expect(jobs).toHaveLength(1);
    expect(presigned).toBe(1); // 403 on the aged URL, then exactly one fresh one
    const token = /authToken=([^&#]+)/.exec(aged.authorizedUrl)?.[1] ?? '?';
    expect(redactString(`GET ${aged.authorizedUrl}`)).not.toContain(token);
  });

  it('reports DashboardUnavailable (UNKNOWN) once the application is no longer RUNNING', async () => {
    await c.msf.send(new StopApplicationCommand({ ApplicationName: APP, Force: true }));
    await eventually(async () => {
      const e = await presign().then(
        () => undefined,
        (err: unknown) => err,
      );
      return e ?? undefined;
    }, 'presign refused');
    presigned = 0;

    const e = await portWith()
      .jobs()
      .catch((err: unknown) => err);

    expect(e).toBeInstanceOf(DashboardUnavailable);
    expect((e as DashboardUnavailable).exitCode).toBe(3);
    expect((e as Error).message).toMatch(
      /^dashboard unavailable: application is (STOPPING|FORCE_STOPPING|READY)$/,
    );
    expect(presigned).toBe(1);
  });
});
