import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveObserveDeps } from '../../src/cli/live-ports.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { VirtualClock } from '../../src/core/clock.js';
import { gatherReport } from '../../src/report/gather.js';
import { allFindings, restartsText } from '../../src/report/model.js';
import type { FlinkPorts } from '../../src/services/flink/context.js';

/** An empty fleet needs no probe: any call is a test failure. */
const noPorts: FlinkPorts = {
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

describe('gatherReport', () => {
  it('completes with the healer UNKNOWN when its journal cannot be read (the cron report still arrives)', async () => {
    // Arrange: a journal file that is not a SQLite database.
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-report-'));
    const journal = join(dir, 'journal.db');
    writeFileSync(journal, 'this is not a database, it is a truncated copy '.repeat(100));
    const config = ConfigSchema.parse({ healer: { journal } });

    // Act
    const r = await gatherReport(config, {
      sinceMs: 86_400_000,
      kafkaDeps: liveObserveDeps(),
      clock: new VirtualClock(Date.parse('2026-11-22T00:00:00Z')),
      ports: noPorts,
    });

    // Assert
    expect(r.severity).toBe('UNKNOWN');
    const f = allFindings(r).find((x) => x.code === 'healer.journal-unreadable');
    expect(f).toMatchObject({ severity: 'UNKNOWN', target: 'healer' });
    expect(f?.message).toContain(journal);
  });

  it('an unreachable application: restarts unknown (not "0"), and each error once (not once per reader)', async () => {
    // Arrange: every AWS call fails the same way, as against an endpoint that refuses connections.
    const refused = () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    };
    const down = new Proxy({}, { get: () => refused });
    const ports: FlinkPorts = {
      msf: () => down as never,
      cloudWatch: () => down as never,
      logs: () => down as never,
      apiCallStats: () => ({}),
      close: () => undefined,
    };
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-report-'));
    const config = ConfigSchema.parse({
      aws: { region: 'us-east-1' },
      flink: { applications: [{ name: 'enricher', managed: { applicationName: 'enricher' } }] },
      healer: { journal: join(dir, 'journal.db') },
    });

    // Act
    const r = await gatherReport(config, {
      sinceMs: 86_400_000,
      kafkaDeps: liveObserveDeps(),
      clock: new VirtualClock(Date.parse('2026-11-22T00:00:00Z')),
      ports,
    });

    // Assert
    const app = r.flink[0]!;
    expect(app.severity).toBe('UNKNOWN');
    expect(restartsText(app)).toBe('restarts unknown: no datapoint could be read');
    const messages = allFindings(r)
      .filter((f) => f.target === 'flink/enricher')
      .map((f) => f.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(new Set(messages).size).toBe(messages.length);
  });
});
