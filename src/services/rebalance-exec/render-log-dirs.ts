import { formatBytes, renderTable } from '../../core/output.js';
import type { LogDirReport } from '../../rebalancer/log-dirs.js';

const fix = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '-');
const share = (bytes: number, util: number | null) =>
  `${formatBytes(bytes)}${util === null ? '' : ` ${(100 * util).toFixed(1)}%`}`;

/**
 * The plan's intra-broker (JBOD) part for the terminal: dir spread before/after, dir moves and
 * their bytes against the lower bound, and each dir's usage before and after. Nothing when no
 * broker has two or more log dirs.
 */
export function renderLogDirs(r: LogDirReport): string[] {
  if (r.brokers === 0) return [];
  return [
    `log dirs (${r.brokers} JBOD broker(s), band ${r.band}): dir spread ${fix(r.spread.before)} → ${fix(r.spread.after)} ` +
      `(${r.met ? 'met' : 'NOT met'}); ${r.moves} move(s) between dirs, ${formatBytes(r.movedBytes)} ` +
      `(LB ${formatBytes(r.lowerBoundBytes)}); ${r.placements} new replica(s) placed in a dir`,
    renderTable(r.dirs, [
      { header: 'BROKER', get: (d) => d.broker, align: 'right' },
      { header: 'LOG DIR', get: (d) => (d.online ? d.path : `${d.path} (offline)`) },
      { header: 'USED BEFORE', get: (d) => share(d.bytesBefore, d.utilisationBefore), align: 'right' },
      { header: 'USED AFTER', get: (d) => share(d.bytesAfter, d.utilisationAfter), align: 'right' },
    ]),
  ];
}
