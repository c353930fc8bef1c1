/**
 * Log dirs that share one filesystem. Kafka does not say which device a log dir is on, so two
 * dirs on one volume would count its capacity twice. Two dirs on one volume report the same
 * total bytes and, read a moment apart on a busy disk, usable bytes within min(64 MiB, 0.1% of the size). Two real
 * JBOD disks of the same size almost never agree that closely — and if two empty identical disks
 * do, counting them once under-states capacity (a conservative error: a warning, never a miss).
 */
const TOLERANCE_CAP = 64 * 1024 ** 2;

export function sameVolume(
  a: { totalBytes?: number; usableBytes?: number },
  b: { totalBytes?: number; usableBytes?: number },
): boolean {
  if (
    a.totalBytes === undefined ||
    b.totalBytes === undefined ||
    a.usableBytes === undefined ||
    b.usableBytes === undefined
  )
    return false;
  if (a.totalBytes !== b.totalBytes) return false;
  return Math.abs(a.usableBytes - b.usableBytes) <= Math.min(TOLERANCE_CAP, a.totalBytes * 0.001);
}

/** The dirs with one representative per volume (offline dirs dropped). */
export function distinctVolumes<T extends { totalBytes?: number; usableBytes?: number; error?: unknown }>(
  dirs: readonly T[],
): T[] {
  const kept: T[] = [];
  for (const d of dirs) {
    if (d.error) continue;
    if (kept.some((k) => sameVolume(k, d))) continue;
    kept.push(d);
  }
  return kept;
}
