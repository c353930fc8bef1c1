import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { Sysexit } from '../../../src/core/exit-codes.js';
import { FlinkRestError } from '../../../src/probes/flink-rest/errors.js';
import {
  MAX_RETRY_AFTER_MS,
  RateLimits,
  REST_BURST,
  REST_RATE_PER_SECOND,
  THROTTLE_ATTEMPTS,
  TokenBucket,
  throttleDelay,
} from '../../../src/probes/flink-rest/pacing.js';
import { DirectTransport } from '../../../src/probes/flink-rest/transport.js';
import { type StrictServer, strictServer } from './strict-server.js';

/** A virtual clock that records how long it was asked to sleep. */
class SleepLog extends VirtualClock {
  slept = 0;
  override async sleep(ms: number): Promise<void> {
    this.slept += ms;
    await super.sleep(ms);
  }
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then paces at the rate', async () => {
    const clock = new SleepLog(0);
    const b = new TokenBucket(5, 10, clock);
    for (let i = 0; i < 10; i++) await b.take();
    expect(clock.slept).toBe(0);
    for (let i = 0; i < 20; i++) await b.take();
    // 20 more requests at 5 a second: 4 s of waiting, never less.
    expect(clock.slept).toBeGreaterThanOrEqual(4_000);
    expect(clock.slept).toBeLessThan(4_100);
  });

  it('serves concurrent callers in order and refills while idle', async () => {
    const clock = new SleepLog(0);
    const b = new TokenBucket(2, 2, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => b.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    clock.advance(10_000);
    const before = clock.slept;
    await b.take();
    await b.take();
    expect(clock.slept).toBe(before);
  });

  it('rejects a waiting caller when the stop signal aborts', async () => {
    const b = new TokenBucket(1, 1);
    await b.take();
    const stop = new AbortController();
    const waiting = b.take(stop.signal);
    stop.abort();
    await expect(waiting).rejects.toBeDefined();
  });
});

describe('throttleDelay (HTTP 429)', () => {
  it('backs off exponentially with jitter, then gives up', () => {
    expect(throttleDelay(1, null, () => 0)).toBe(250);
    expect(throttleDelay(1, null, () => 0.999)).toBeLessThanOrEqual(500);
    expect(throttleDelay(2, null, () => 0)).toBe(500);
    expect(throttleDelay(3, null, () => 0)).toBe(1_000);
    expect(throttleDelay(THROTTLE_ATTEMPTS, null)).toBeUndefined();
  });

  it('honours Retry-After in seconds, capped; ignores an HTTP date or junk', () => {
    expect(throttleDelay(1, '2', () => 0)).toBe(2_000);
    expect(throttleDelay(1, '3600', () => 0)).toBe(MAX_RETRY_AFTER_MS);
    expect(throttleDelay(1, 'Wed, 21 Oct 2015 07:28:00 GMT', () => 0)).toBe(250);
    expect(throttleDelay(1, '-5', () => 0)).toBe(250);
  });
});

describe('DirectTransport pacing', () => {
  let server: StrictServer;
  beforeEach(async () => {
    server = await strictServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('retries a 429 with backoff and returns the answer that follows', async () => {
    server.expect(
      { path: '/jobs/overview', status: 429, body: { errors: ['Too many requests'] } },
      { path: '/jobs/overview', status: 429, body: '', headers: { 'retry-after': '0' } },
      { path: '/jobs/overview', body: { jobs: [] } },
    );
    const t = new DirectTransport(server.url, undefined, { throttleBackoffMs: 10 });
    expect(await t.get('jobs/overview')).toEqual({ jobs: [] });
    server.verify();
  });

  it('a 429 that persists is a temporary failure (exit 75), after the attempts, never exit 70', async () => {
    for (let i = 0; i < THROTTLE_ATTEMPTS; i++)
      server.expect({ path: '/jobs/overview', status: 429, body: '{"message": "Rate exceeded"' });
    const t = new DirectTransport(server.url, undefined, { throttleBackoffMs: 10 });
    const e = await t.get('jobs/overview').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FlinkRestError);
    expect(e).toMatchObject({ failure: 'throttled', exitCode: Sysexit.TEMPFAIL, transient: true });
    expect((e as Error).message).toContain('HTTP 429');
    server.verify();
  });

  it('one JobManager gets at most the burst at once, then the rate, whatever the caller does', async () => {
    const clock = new SleepLog(0);
    const limits = new RateLimits(REST_RATE_PER_SECOND, REST_BURST, clock);
    const n = REST_BURST + 3 * REST_RATE_PER_SECOND;
    for (let i = 0; i < n; i++) server.expect({ path: /^\/jobs\/overview/, body: { jobs: [] } });
    // Two transports (two applications) on one JobManager share its bucket.
    const a = new DirectTransport(server.url, undefined, { limits });
    const b = new DirectTransport(`${server.url}/`, undefined, { limits });
    await Promise.all(Array.from({ length: n }, (_, i) => (i % 2 ? a : b).get('jobs/overview')));
    expect(server.received).toHaveLength(n);
    expect(clock.slept).toBeGreaterThanOrEqual(3_000);
    server.verify();
  });

  it('a stop signal aborts a call in flight (the daemon shutting down) as a temporary failure', async () => {
    server.expect({ path: '/jobs/overview', hang: true });
    const stop = new AbortController();
    const t = new DirectTransport(server.url, undefined, { signal: stop.signal, timeoutMs: 60_000 });
    const call = t.get('jobs/overview').catch((x: unknown) => x);
    setTimeout(() => stop.abort(), 50);
    const e = await call;
    expect(e).toMatchObject({ exitCode: Sysexit.TEMPFAIL });
    expect((e as Error).message).toContain('streamctl is stopping');
  });
});
