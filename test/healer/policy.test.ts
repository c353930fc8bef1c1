import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HealerSection } from '../../src/config/sections/healer.js';
import { fleetBreakerTripped, optedOutByTag, withinAllowedHours } from '../../src/healer/decide/guards.js';
import { policyFromConfig } from '../../src/healer/policy.js';

describe('healer config section', () => {
  it('declares every key with a description (defaults come from the schema)', () => {
    const schema = z.toJSONSchema(HealerSection, { io: 'input', unrepresentable: 'any' }) as {
      properties: Record<
        string,
        { description?: string; properties?: Record<string, { description?: string }> }
      >;
    };
    const missing: string[] = [];
    for (const [k, v] of Object.entries(schema.properties)) {
      if (!v.description) missing.push(k);
      for (const [k2, v2] of Object.entries(v.properties ?? {}))
        if (!v2.description) missing.push(`${k}.${k2}`);
    }
    expect(missing).toEqual([]);
  });

  it('turns the defaults into milliseconds for the pure core', () => {
    const p = policyFromConfig();
    expect(p).toMatchObject({
      mode: 'dry-run',
      tickIntervalMs: 60_000,
      suspectCheckIntervalMs: 15_000,
      loop: {
        windowPeriods: 5,
        minRestarts: 3,
        minPeriods: 2,
        pendingPeriods: 2,
        resolveAfterQuietPeriods: 3,
      },
      stuckTimeoutMs: 20 * 60_000,
      cooldownMs: 30 * 60_000,
      maxActionsPerHour: 5,
      fleetBreaker: { minApps: 3, share: 0.2, maxApps: 10 },
      verify: { settleTimeoutMs: 600_000, timeoutMs: 900_000, fallbackQuietPeriods: 3 },
    });
    expect(p.allowedHours).toBeUndefined();
  });

  it.each([
    { name: 'minRestarts below 3 (one or two restarts are normal)', cfg: { loop: { minRestarts: 2 } } },
    { name: 'a bad duration', cfg: { cooldown: 'half an hour' } },
    { name: 'a bad time of day', cfg: { allowedHours: { start: '8am', end: '18:00' } } },
  ])('rejects $name', ({ cfg }) => {
    expect(HealerSection.safeParse(cfg).success).toBe(false);
  });
});

describe('guards', () => {
  const at = (iso: string) => Date.parse(iso);
  it.each([
    {
      name: 'inside a window spanning midnight (23:30)',
      t: '2026-11-23T23:30:00Z',
      hours: { startMinute: 22 * 60, endMinute: 6 * 60, timezone: 'UTC' },
      want: true,
    },
    {
      name: 'inside it after midnight (05:59)',
      t: '2026-11-24T05:59:00Z',
      hours: { startMinute: 22 * 60, endMinute: 6 * 60, timezone: 'UTC' },
      want: true,
    },
    {
      name: 'at its end (06:00)',
      t: '2026-11-24T06:00:00Z',
      hours: { startMinute: 22 * 60, endMinute: 6 * 60, timezone: 'UTC' },
      want: false,
    },
    {
      name: 'weekdays only, on a Sunday',
      t: '2026-11-22T10:00:00Z',
      hours: {
        startMinute: 8 * 60,
        endMinute: 18 * 60,
        timezone: 'UTC',
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      },
      want: false,
    },
    {
      name: 'weekdays only, on a Monday',
      t: '2026-11-23T10:00:00Z',
      hours: {
        startMinute: 8 * 60,
        endMinute: 18 * 60,
        timezone: 'UTC',
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      },
      want: true,
    },
    {
      name: 'in another time zone (07:30 UTC = 08:30 Paris)',
      t: '2026-11-23T07:30:00Z',
      hours: { startMinute: 8 * 60, endMinute: 18 * 60, timezone: 'Europe/Paris' },
      want: true,
    },
    {
      name: 'Saturday night window that started on a weekday: Saturday 01:00 after Friday 22:00',
      t: '2026-11-28T01:00:00Z',
      hours: { startMinute: 22 * 60, endMinute: 6 * 60, timezone: 'UTC', days: ['fri'] },
      want: true,
    },
  ])('allowed hours: $name → $want', ({ t, hours, want }) => {
    expect(withinAllowedHours(at(t), hours)).toBe(want);
  });

  it.each([
    [{ 'streamctl:healing': 'off' }, true],
    [{ 'streamctl:healing': 'OFF ' }, true],
    [{ 'streamctl:healing': 'false' }, true],
    [{ 'streamctl:healing': 'on' }, false],
    [{ team: 'x' }, false],
    [undefined, false],
  ])('opt-out tag %j → %s', (tags, want) => {
    expect(optedOutByTag(tags)).toBe(want);
  });

  it('the fleet breaker needs a scope with apps', () => {
    expect(
      fleetBreakerTripped(
        { scope: 's', appsTotal: 0, appsLooping: 3 },
        { minApps: 3, share: 0.2, maxApps: 10 },
      ),
    ).toBe(false);
  });
});
