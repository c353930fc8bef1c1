import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.js';
import { VirtualClock } from '../../../src/core/clock.js';
import type { FlinkPorts } from '../../../src/services/flink/context.js';
import { flinkStatus } from '../../../src/services/flink/status.js';
import { FakeCloudWatch } from '../../fakes/cloudwatch/fake.js';
import { FakeManagedFlink } from '../../fakes/managed-flink/fake.js';

const NOW = Date.parse('2026-11-22T03:00:00Z');
const config = ConfigSchema.parse({
  flink: { applications: [{ name: 'enricher', managed: { applicationName: 'enricher' } }] },
});

function ports(msf: FakeManagedFlink): FlinkPorts {
  const cw = new FakeCloudWatch();
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

describe('flinkStatus', () => {
  it('reports the operations it could not read as UNKNOWN instead of silently dropping a failed operation', async () => {
    // Arrange: the application is stopped (no REST call); ListApplicationOperations is throttled.
    const msf = new FakeManagedFlink(() => NOW);
    msf.add({ applicationName: 'enricher', status: 'READY', runtime: 'FLINK-1_20' });
    msf.failNext(
      'listOperations',
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    );

    // Act
    const s = await flinkStatus(config, ports(msf), 'enricher', new VirtualClock(NOW));

    // Assert
    const f = s.findings.find((x) => x.code === 'flink.operations-unreadable');
    expect(f).toMatchObject({ severity: 'UNKNOWN', subject: 'enricher' });
    expect(f?.message).toContain('Rate exceeded');
  });
});
