import { type Clock, systemClock } from '../../../../src/core/clock.js';

/**
 * The emulator's notion of "now": a base clock (the wall clock by default) plus an offset that the
 * control API can move forward. Advancing it lets a test cross AWS time limits (the presigned
 * URL's 3-minute first-use window, a forced status's duration, metric periods) without waiting,
 * while the real Flink cluster keeps running in real time underneath.
 */
export class EmulatorClock {
  private offsetMs_ = 0;
  constructor(private readonly base: Clock = systemClock) {}

  /** Milliseconds since the epoch, as AWS would stamp them. */
  now(): number {
    return this.base.now() + this.offsetMs_;
  }

  /** How far emulator time runs ahead of the base clock. */
  offsetMs(): number {
    return this.offsetMs_;
  }

  /** Moves emulator time forward (never backward: AWS timestamps do not go back). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new Error(`clock advance must be a non-negative number of ms, got ${ms}`);
    this.offsetMs_ += ms;
  }
}
