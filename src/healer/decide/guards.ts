/**
 * Pure predicates the ladder's guards use. Each is small and tested at its boundaries.
 */

import type { FleetContext } from '../observation.js';
import type { AllowedHours, HealerPolicy } from '../policy.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Local weekday and minute of day of `now` in a time zone (Intl: deterministic given `now`). */
function localTime(now: number, timezone: string): { day: string; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(now));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    day: get('weekday').slice(0, 3).toLowerCase(),
    minute: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

/**
 * Whether `now` falls in the allowed hours: [start, end) in the zone, spanning midnight when
 * end ≤ start; `days` name the day the window starts on. No window = always allowed.
 */
export function withinAllowedHours(now: number, hours: AllowedHours | undefined): boolean {
  if (!hours) return true;
  const { day, minute } = localTime(now, hours.timezone);
  const { startMinute: s, endMinute: e } = hours;
  if (s === e) return false;
  if (s < e) return minute >= s && minute < e && (!hours.days || hours.days.includes(day));
  // Spans midnight: before `end` the window started yesterday.
  if (minute >= s) return !hours.days || hours.days.includes(day);
  if (minute < e) {
    const yesterday = DAYS[(DAYS.indexOf(day) + 6) % 7] ?? day;
    return !hours.days || hours.days.includes(yesterday);
  }
  return false;
}

/**
 * The fleet-wide breaker: many applications of one account/region looping at once is a systemic
 * event (a broker or network outage, an AZ loss); no automatic action, page only. Trips at
 * `maxApps` looping, or at `minApps` looping when they are at least `share` of the scope.
 */
export function fleetBreakerTripped(fleet: FleetContext, breaker: HealerPolicy['fleetBreaker']): boolean {
  if (fleet.appsLooping >= breaker.maxApps) return true;
  if (fleet.appsLooping < breaker.minApps) return false;
  return fleet.appsTotal > 0 && fleet.appsLooping / fleet.appsTotal >= breaker.share;
}

/** Whether the per-app opt-out tag is set: `streamctl:healing=off` (also false/disabled/no). */
export function optedOutByTag(tags: Record<string, string> | undefined): boolean {
  const v = tags?.['streamctl:healing'];
  return v !== undefined && /^(off|false|disabled|no)$/i.test(v.trim());
}
