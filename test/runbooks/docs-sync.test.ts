import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explain } from '../../src/runbooks/engine.js';
import { RUNBOOKS } from '../../src/runbooks/registry.js';
import { STEP_KINDS } from '../../src/runbooks/types.js';

const docs = (f: string) => fileURLToPath(new URL(`../../docs/runbooks/${f}`, import.meta.url));

/** docs/runbooks/*.md are the runbooks in prose: kept in sync with the registry. */
describe.each(RUNBOOKS.map((r) => [r.id, r] as const))('docs/runbooks/%s.md', (id, rb) => {
  const file = docs(`${id}.md`);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';

  it('exists and names the runbook and its command', () => {
    expect(existsSync(file), `${file} is missing`).toBe(true);
    expect(text).toContain(rb.title);
    expect(text).toContain(`streamctl runbook ${id}`);
  });

  it.each(STEP_KINDS.map((k) => [k, rb.steps[k]] as const))(
    'mentions the %s step title "%s"',
    (_k, title) => {
      expect(text).toContain(title);
    },
  );

  it('documents every option id the runbook can offer', () => {
    // The option ids do not depend on the diagnosis' values, only on the runbook; a minimal
    // diagnosis is enough to enumerate them (Express clusters get a single "none" for disks).
    const ids = new Set(optionIds(rb.id));
    for (const o of ids) expect(text, `option ${o}`).toContain(`\`${o}\``);
  });

  it('is listed in the runbooks README', () => {
    expect(readFileSync(docs('README.md'), 'utf8')).toContain(`(${id}.md)`);
  });
});

function optionIds(id: string): string[] {
  const lifecycle = { allowed: false, refusals: ['-'], explanation: [] };
  const rb = RUNBOOKS.find((r) => r.id === id)!;
  const d: Record<string, unknown> = {
    'restart-loop': {
      app: 'a',
      kind: 'managed',
      loop: { state: 'quiet', restarts: 0, metric: 'fullRestarts', perMinute: [] },
      rollback: lifecycle,
      forceStop: lifecycle,
      severity: 'OK',
    },
    'stuck-update': {
      app: 'a',
      status: 'RUNNING',
      versionId: 1,
      stuckTimeoutMs: 1,
      rollback: lifecycle,
      forceStop: lifecycle,
    },
    'disk-filling': {
      cluster: 'c',
      brokerType: 'standard',
      severity: 'OK',
      brokers: [],
      findings: [],
      uneven: false,
      topTopics: [],
    },
    'broker-down': {
      cluster: 'c',
      brokerType: 'self-managed',
      liveBrokers: [1],
      downBrokers: [],
      partitions: 0,
      offline: [],
      offlineCount: 0,
      underReplicated: 0,
      underMinIsr: 0,
      replicasOnDown: 0,
      bytesOnDown: 0,
      maxReplicationFactor: 1,
    },
    'add-brokers': {
      cluster: 'c',
      brokerType: 'standard',
      brokers: [],
      newBrokers: [],
      newBrokersFrom: 'empty-brokers',
      throttleBytesPerSec: null,
      warnings: [],
    },
  };
  return explain(rb, d[id]).options.map((o) => o.id);
}
