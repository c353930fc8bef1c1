/**
 * How hard streamctl may press one Flink REST endpoint: a token bucket per target (origin), and
 * the retry schedule of an HTTP 429. The healer watches the JobManager it calls, so it must never
 * be the load that hurts it: with `healer.tickInterval: 0` it once sent ~827 requests a second.
 * The bucket bounds that whatever the caller's loop does; a 429 is retried after a backoff (or the
 * server's Retry-After, capped), then reported as a temporary failure (exit 75).
 */
import { type Clock, systemClock } from '../../core/clock.js';

/** Requests per second allowed to one Flink REST target, sustained. */
export const REST_RATE_PER_SECOND = 5;
/** Requests one target may receive at once before the rate applies (a tick's burst). */
export const REST_BURST = 10;
/** Attempts of one call answered 429 (the first included) before it fails with exit 75. */
export const THROTTLE_ATTEMPTS = 4;
/** First backoff after a 429; doubled each time (500 ms, 1 s, 2 s), with jitter. */
export const THROTTLE_BACKOFF_MS = 500;
/** A server's Retry-After is honoured up to this; longer is the next tick's business. */
export const MAX_RETRY_AFTER_MS = 5_000;

/** A token bucket: `take` resolves once a token is available (waiting with the clock). */
export class TokenBucket {
  private tokens: number;
  private at: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = burst;
    this.at = clock.now();
  }

  /** Waits for a token (callers are served in order); rejects when `signal` aborts. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.next(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async next(signal?: AbortSignal): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      await this.clock.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond), signal);
      this.refill();
    }
    this.tokens -= 1;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.ratePerSecond) / 1000);
    this.at = now;
  }
}

/** One bucket per target origin, shared by every transport that uses this registry. */
export class RateLimits {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(
    private readonly ratePerSecond = REST_RATE_PER_SECOND,
    private readonly burst = REST_BURST,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The bucket of the origin of `url` (scheme, host and port: one JobManager). */
  for(url: string): TokenBucket {
    const origin = URL.canParse(url) ? new URL(url).origin : url;
    let b = this.buckets.get(origin);
    if (!b) {
      b = new TokenBucket(this.ratePerSecond, this.burst, this.clock);
      this.buckets.set(origin, b);
    }
    return b;
  }
}

/** The process-wide registry: two applications on one JobManager share its bucket. */
export const sharedRateLimits = new RateLimits();

/**
 * The wait before retrying a 429 (`attempt` counts from 1), or undefined when the attempts are
 * spent. A Retry-After in seconds is honoured, capped; else exponential backoff with jitter
 * (`random` in [0, 1), injected so the schedule is testable).
 */
export function throttleDelay(
  attempt: number,
  retryAfter: string | null,
  random: () => number = Math.random,
  baseMs = THROTTLE_BACKOFF_MS,
): number | undefined {
  if (attempt >= THROTTLE_ATTEMPTS) return undefined;
  const seconds = retryAfter !== null && /^\d+(\.\d+)?$/.test(retryAfter.trim()) ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds)) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const exp = baseMs * 2 ** (attempt - 1);
  return Math.round(exp / 2 + (random() * exp) / 2);
}
