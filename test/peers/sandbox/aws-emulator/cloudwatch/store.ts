/**
 * Raw metric samples per series (namespace, metric name, exact dimension set — CloudWatch matches
 * dimensions exactly). GetMetricData aggregates them per period at query time, so one sample
 * every few seconds becomes per-minute Maximum/Sum/... datapoints, as CloudWatch does.
 */
export interface Dimension {
  Name: string;
  Value: string;
}

export interface Sample {
  /** Epoch ms (emulator time). */
  t: number;
  v: number;
}

interface Series {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  samples: Sample[];
}

/** Oldest samples are dropped beyond this many per series (about 2.5 days at one per 5 s). */
const MAX_SAMPLES_PER_SERIES = 50_000;

export class MetricStore {
  private readonly series = new Map<string, Series>();

  static key(namespace: string, metricName: string, dimensions: readonly Dimension[]): string {
    const dims = [...dimensions]
      .sort((a, b) => a.Name.localeCompare(b.Name))
      .map((d) => `${d.Name}=${d.Value}`);
    return `${namespace}\u0000${metricName}\u0000${dims.join('\u0000')}`;
  }

  /** Adds samples (kept sorted by time). */
  put(
    namespace: string,
    metricName: string,
    dimensions: readonly Dimension[],
    samples: readonly Sample[],
  ): void {
    const key = MetricStore.key(namespace, metricName, dimensions);
    let s = this.series.get(key);
    if (!s) {
      s = { namespace, metricName, dimensions: dimensions.map((d) => ({ ...d })), samples: [] };
      this.series.set(key, s);
    }
    for (const p of samples) {
      if (!Number.isFinite(p.t) || !Number.isFinite(p.v))
        throw new Error(`metric sample must have finite t and v (got ${JSON.stringify(p)})`);
      const last = s.samples[s.samples.length - 1];
      if (!last || last.t <= p.t) s.samples.push({ t: p.t, v: p.v });
      else {
        s.samples.splice(lowerBound(s.samples, p.t + 1), 0, { t: p.t, v: p.v });
      }
    }
    if (s.samples.length > MAX_SAMPLES_PER_SERIES)
      s.samples.splice(0, s.samples.length - MAX_SAMPLES_PER_SERIES);
  }

  /** Samples of one series in [fromMs, toMs) (binary search: GetMetricData asks for 500 series at once). */
  samples(
    namespace: string,
    metricName: string,
    dimensions: readonly Dimension[],
    fromMs: number,
    toMs: number,
  ): Sample[] {
    const s = this.series.get(MetricStore.key(namespace, metricName, dimensions));
    if (!s) return [];
    return s.samples.slice(lowerBound(s.samples, fromMs), lowerBound(s.samples, toMs));
  }

  /** Every series (ListMetrics-style), for the control API and debugging. */
  list(): { namespace: string; metricName: string; dimensions: Dimension[]; count: number }[] {
    return [...this.series.values()].map((s) => ({
      namespace: s.namespace,
      metricName: s.metricName,
      dimensions: s.dimensions,
      count: s.samples.length,
    }));
  }
}

/** First index whose sample time is >= t (samples are sorted by time). */
function lowerBound(samples: readonly Sample[], t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (samples[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
