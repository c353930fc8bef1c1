/**
 * Time-to-full forecasting from a usage history: an ordinary least-squares line through the
 * recent samples. Robust enough for disk growth (mostly linear between retention cycles) and
 * honest about what it does not know: too few points or no growth → no forecast.
 */
export interface UsageSample {
  /** epoch ms */
  t: number;
  /** bytes used */
  usedBytes: number;
}

export interface Trend {
  /** Growth in bytes per second (negative when shrinking). */
  bytesPerSecond: number;
  /** Number of samples used. */
  samples: number;
  /** Time span covered, ms. */
  spanMs: number;
}

/** Minimum history for a trend: 3 samples over at least 10 minutes. */
const MIN_SAMPLES = 3;
const MIN_SPAN_MS = 10 * 60_000;

/** Least-squares growth rate over the samples; undefined when history is too short to trust. */
export function trendOf(samples: UsageSample[]): Trend | undefined {
  const pts = samples.filter((s) => Number.isFinite(s.usedBytes) && Number.isFinite(s.t));
  if (pts.length < MIN_SAMPLES) return undefined;
  const t0 = pts[0]!.t;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let minT = Number.POSITIVE_INFINITY;
  let maxT = Number.NEGATIVE_INFINITY;
  for (const p of pts) {
    const x = (p.t - t0) / 1000;
    sx += x;
    sy += p.usedBytes;
    sxx += x * x;
    sxy += x * p.usedBytes;
    minT = Math.min(minT, p.t);
    maxT = Math.max(maxT, p.t);
  }
  const n = pts.length;
  const denom = n * sxx - sx * sx;
  if (maxT - minT < MIN_SPAN_MS || denom === 0) return undefined;
  return { bytesPerSecond: (n * sxy - sx * sy) / denom, samples: n, spanMs: maxT - minT };
}

/**
 * Milliseconds until `usedBytes` reaches `limitBytes` at the trend's rate; undefined when not
 * growing (or no trend), 0 when already past the limit.
 */
export function timeUntil(
  usedBytes: number,
  limitBytes: number,
  trend: Trend | undefined,
): number | undefined {
  if (usedBytes >= limitBytes) return 0;
  if (!trend || trend.bytesPerSecond <= 0) return undefined;
  return ((limitBytes - usedBytes) / trend.bytesPerSecond) * 1000;
}
