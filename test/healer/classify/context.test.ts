import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/healer/classify/index.js';
import {
  CHANGE_BLAME_WINDOW_MS,
  CHANGE_WINDOWS,
  contextRules,
  FLEET_MIN_APPS,
  FLEET_MIN_SHARE,
} from '../../../src/healer/classify/rules/context.js';
import type { RuleHit } from '../../../src/healer/classify/types.js';

const NOW = Date.parse('2026-11-22T01:00:00Z');
const KAFKA_TIMEOUT =
  'org.apache.kafka.common.errors.TimeoutException: Timeout expired while fetching topic metadata';
const external: RuleHit = {
  rule: 'kafka-unavailable',
  subtype: 'external-system-unavailable',
  weight: -0.6,
  evidence: 'x',
};

const change = (minutesBefore: number, kind = 'UpdateApplication', succeeded?: boolean) => ({
  now: NOW,
  recentChange: { kind, at: NOW - minutesBefore * 60_000, ...(succeeded === undefined ? {} : { succeeded }) },
});

describe('recent owner change', () => {
  it.each([
    ['just before', 0, CHANGE_WINDOWS[0]?.weight],
    ['at the 30-minute edge', 30, CHANGE_WINDOWS[0]?.weight],
    ['1 ms past 30 minutes', 30 + 1 / 60_000, CHANGE_WINDOWS[1]?.weight],
    ['at 2 hours', 120, CHANGE_WINDOWS[1]?.weight],
    ['at 24 hours', 24 * 60, CHANGE_WINDOWS[2]?.weight],
    ['1 ms past 24 hours', 24 * 60 + 1 / 60_000, undefined],
  ])('%s', (_name, minutes, weight) => {
    const hit = contextRules(change(minutes), []).find((h) => h.rule === 'recent-owner-change');
    expect(hit?.weight).toBe(weight);
  });

  it('ignores a change made after the failure', () => {
    expect(contextRules(change(-5), [])).toEqual([]);
  });

  it('halves the weight of a change whose operation failed', () => {
    const hit = contextRules(change(10, 'UpdateApplication', false), []).find(
      (h) => h.rule === 'recent-owner-change',
    );
    expect(hit?.weight).toBe((CHANGE_WINDOWS[0]?.weight ?? 0) / 2);
  });

  it.each([
    ['inside the blame window', CHANGE_BLAME_WINDOW_MS / 60_000, true],
    ['1 ms outside it', CHANGE_BLAME_WINDOW_MS / 60_000 + 1 / 60_000, false],
  ])('blames an external error on an owner change %s', (_name, minutes, blamed) => {
    const hits = contextRules(change(minutes, 'endpoint'), [external]);
    expect(hits.some((h) => h.rule === 'external-error-after-owner-change')).toBe(blamed);
  });

  it('turns a Kafka metadata timeout into user configuration right after an endpoint change', () => {
    expect(classifyFailure(KAFKA_TIMEOUT, { now: NOW }).verdict).toBe('unknown');
    const after = classifyFailure(KAFKA_TIMEOUT, change(5, 'endpoint'));
    expect(after.verdict).toBe('user');
    expect(after.subtype).toBe('bad-config-endpoint');
  });

  it('turns an AccessDenied into a bad-config-auth user verdict more firmly after an IAM change', () => {
    const text =
      'software.amazon.awssdk.services.s3.model.S3Exception: Access Denied (Service: S3, Status Code: 403)';
    const before = classifyFailure(text, { now: NOW });
    const after = classifyFailure(text, change(5, 'iam'));
    expect(before.verdict).toBe('user');
    expect(after.confidence).toBeGreaterThan(before.confidence);
  });
});

describe('many applications failing at once', () => {
  it.each([
    ['one app (itself)', 1, undefined, false],
    ['two apps, fleet unknown', FLEET_MIN_APPS - 1, undefined, false],
    ['three apps', FLEET_MIN_APPS, undefined, true],
    ['2 of 11 apps (below 20%)', 2, 11, false],
    ['2 of 10 apps (20%)', 2, Math.round(2 / FLEET_MIN_SHARE), true],
  ])('%s → systemic %s', (_name, failing, fleet, systemic) => {
    const ctx = { now: NOW, appsFailingNow: failing, ...(fleet ? { fleetSize: fleet } : {}) };
    expect(contextRules(ctx, []).some((h) => h.rule === 'many-apps-failing-at-once')).toBe(systemic);
  });

  it('makes a Kafka timeout a confident system verdict when half the fleet fails', () => {
    const r = classifyFailure(KAFKA_TIMEOUT, { now: NOW, appsFailingNow: 6, fleetSize: 10 });
    // The never-reached lean is weak, but a fleet-wide event tips it.
    expect(r.verdict).toBe('system');
    const position = classifyFailure(
      'org.apache.kafka.common.errors.TimeoutException: Timeout of 60000ms expired before the position for partition orders-0 could be determined',
      { now: NOW, appsFailingNow: 6, fleetSize: 10 },
    );
    expect(position.verdict).toBe('system');
    expect(position.confidence).toBeGreaterThan(0.85);
  });

  it('a deploy is never evidence against an answered error', () => {
    const r = classifyFailure(
      'org.apache.kafka.common.errors.NotLeaderOrFollowerException: For requests intended only for the leader, this error indicates that the broker is not the current leader.',
      { now: NOW, recentChange: { kind: 'UpdateApplication', at: NOW - 200_000 } },
    );
    expect(r.verdict).toBe('system');
  });
});
