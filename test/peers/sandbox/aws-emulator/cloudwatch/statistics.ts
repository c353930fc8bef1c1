/** CloudWatch statistics over the samples of one period. */

const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,2})?|100)$/;

/** True when the emulator can compute this statistic. */
export function isSupportedStat(stat: string): boolean {
  return ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'].includes(stat) || PERCENTILE.test(stat);
}

/** Computes `stat` over non-empty `values`. */
export function computeStat(stat: string, values: readonly number[]): number {
  switch (stat) {
    case 'SampleCount':
      return values.length;
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    default: {
      const m = PERCENTILE.exec(stat);
      if (!m) throw new Error(`unsupported statistic ${stat}`);
      const sorted = [...values].sort((a, b) => a - b);
      const rank = Math.ceil((Number(m[1]) / 100) * sorted.length) - 1;
      return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
    }
  }
}
