import { usageError } from '../core/errors.js';

const PREFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
/** 10 TB/s: a hundred 800 Gb/s links. Kafka's throttle is a long, but no cluster gets near this. */
const MAX_RATE = 1e13;
const BINARY: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * Parses a replication rate such as `50MB/s` (decimal), `90MiB/s` (binary), `1.5GB/s`, `500kB/s`
 * or a plain number of bytes per second, into bytes per second. Kafka's throttles are bytes per
 * second, so a lower-case `b` (bits) is refused rather than silently read as bytes.
 */
export function parseRate(text: string, flag = '--throttle'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kKmMgGtT])([iI])?)?([bB])?\s*(?:\/\s*s(?:ec)?|ps)?\s*$/.exec(text);
  if (!m) {
    throw usageError(
      `${flag}: "${text}" is not a rate`,
      'Use bytes per second with a unit, e.g. 50MB/s, 90MiB/s or 1GB/s.',
    );
  }
  const [, num, prefix = '', bin, unit] = m;
  if (unit === 'b') {
    throw usageError(
      `${flag}: "${text}" is in bits; Kafka throttles are in bytes`,
      'Write B for bytes, e.g. 50MB/s.',
    );
  }
  const p = prefix.toLowerCase();
  const factor = bin ? BINARY[p]! : PREFIX[p]!;
  const value = Math.round(Number(num) * factor);
  if (!(value > 0)) throw usageError(`${flag}: "${text}" must be more than 0 bytes per second`);
  // Beyond any network a broker has; a huge number would make every estimate "0s" and look fine.
  if (value > MAX_RATE)
    throw usageError(
      `${flag}: "${text}" is above ${formatRate(MAX_RATE)}, more than any broker can replicate`,
    );
  return value;
}

/** A rate for people: `50 MB/s`. */
export function formatRate(bytesPerSec: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytesPerSec;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}/s`;
}

/** Bytes one batch sends and receives per broker (broker id → bytes). */
export interface BrokerTraffic {
  inbound: Record<number, number>;
  outbound: Record<number, number>;
}

/**
 * Time for one batch at a replication throttle. The throttle applies per broker and per
 * direction (follower.replication.throttled.rate on receivers, leader.… on senders), so the batch
 * lasts as long as its busiest broker: max over brokers of max(inbound, outbound) / rate.
 */
export function batchDurationMs(t: BrokerTraffic, bytesPerSec: number): number {
  let worst = 0;
  for (const v of Object.values(t.inbound)) worst = Math.max(worst, v);
  for (const v of Object.values(t.outbound)) worst = Math.max(worst, v);
  return (worst / bytesPerSec) * 1000;
}

/** Time for a whole plan: its batches run one after the other. */
export function planDurationMs(batches: BrokerTraffic[], bytesPerSec: number): number {
  return batches.reduce((s, b) => s + batchDurationMs(b, bytesPerSec), 0);
}

/**
 * Warnings about a throttle: a moving partition only catches up if replication outruns what
 * producers write to it, so a throttle at or below the produce rate never finishes (docs/reference.md §Throttles).
 */
export function throttleWarnings(
  bytesPerSec: number | undefined,
  produceBytesPerSec: number | undefined,
): string[] {
  if (bytesPerSec === undefined || produceBytesPerSec === undefined) return [];
  if (bytesPerSec <= produceBytesPerSec) {
    return [
      `throttle ${formatRate(bytesPerSec)} is not above the produce rate ${formatRate(produceBytesPerSec)}: ` +
        'moving replicas would never catch up with their leaders; raise the throttle',
    ];
  }
  if (bytesPerSec < 1.2 * produceBytesPerSec) {
    return [
      `throttle ${formatRate(bytesPerSec)} is within 20% of the produce rate ${formatRate(produceBytesPerSec)}: ` +
        'replicas will catch up slowly',
    ];
  }
  return [];
}
