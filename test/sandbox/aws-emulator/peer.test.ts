import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  ListApplicationsCommand,
  StartApplicationCommand,
  StopApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { describe, expect, it } from 'vitest';
import type { AwsEmulatorPeerInfo } from '../../peers/kinds/aws-emulator.js';
import type { FlinkPeerInfo } from '../../peers/kinds/flink.js';
import { remoteControl } from '../../peers/sandbox/aws-emulator/index.js';
import { usePeer } from '../../peers/use.js';
import { createInput, sdkClients } from './helpers.js';

/** The shared `aws-emulator` peer over the shared Flink cluster, driven through its HTTP control API. */
describe('aws-emulator peer kind', () => {
  it('serves an MSF application backed by the shared Flink cluster', async () => {
    const flink = await usePeer<FlinkPeerInfo>('flink', {});
    const peer = await usePeer<AwsEmulatorPeerInfo>('aws-emulator', { flink });
    expect(peer.flinkRestUrl).toBe(flink.restUrl);
    const { msf } = sdkClients(peer.endpoint);
    const control = remoteControl(peer.endpoint);
    const name = `peer-${Math.random().toString(36).slice(2, 8)}`;

    await msf.send(new CreateApplicationCommand(createInput(name)));
    await msf.send(new StartApplicationCommand({ ApplicationName: name }));
    await control.settled();
    const listed = await msf.send(new ListApplicationsCommand({}));
    expect(listed.ApplicationSummaries?.find((a) => a.ApplicationName === name)?.ApplicationStatus).toBe(
      'RUNNING',
    );
    const job = await control.currentJob(name);
    const state = ((await (await fetch(`${flink.restUrl}/jobs/${job!.jobId}`)).json()) as { state: string })
      .state;
    expect(state).toBe('RUNNING');

    await msf.send(new StopApplicationCommand({ ApplicationName: name, Force: true }));
    await control.settled();
    expect(
      (await msf.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail
        ?.ApplicationStatus,
    ).toBe('READY');
    expect(await control.currentJob(name)).toBeUndefined();
  });
});
