/**
 * The human rendering of `flink status` (pure but for colour): the application, its job, the
 * restarts read with the healer's story, and the findings with one verdict.
 */
import { formatBytes, formatDuration, renderTable } from '../../core/output.js';
import type { FlinkStatus } from '../../services/flink/status.js';
import { renderFindings, renderVerdict } from './findings.js';
import { restartRuns, runCells, storyLines } from './story.js';

export function renderFlinkStatus(s: FlinkStatus, now: number): string {
  const story = s.story;
  const total = s.restarts.perPeriod.reduce((a, p) => a + (p.restarts ?? 0), 0);
  const before = story.before?.restarts ?? 0;
  const min = `${Math.round(s.restarts.windowMs / 60_000)} min`;
  const restarts =
    story.countFrom === undefined
      ? `${total} in ${min}`
      : `${total - before} since the heal, ${before} before it (${min})`;
  const lines = [
    `${s.app} (${s.kind}${s.runtime ? `, ${s.runtime}` : ''}${s.versionId === undefined ? '' : `, version ${s.versionId}`})`,
    s.status ? `  application  ${s.status}` : undefined,
    `  job          ${s.job ? `${s.job.state} ${s.job.name} (${s.job.id})` : '-'}`,
    `  subtasks     ${s.subtasks ? `${s.subtasks.reason}` : 'unknown'}`,
    `  restarts     ${restarts} (${s.restarts.metric}, ${s.restarts.source}): ${story.state}`,
    ...storyLines(story),
    `  checkpoint   ${s.lastCheckpoint ? `${formatDuration(now - s.lastCheckpoint.completedAt)} ago${s.lastCheckpoint.sizeBytes === undefined ? '' : `, ${formatBytes(s.lastCheckpoint.sizeBytes)}`}` : '-'}${s.checkpointCounts ? ` (${s.checkpointCounts.completed} completed, ${s.checkpointCounts.failed} failed)` : ''}`,
    `  operation    ${s.lastOperation ? `${s.lastOperation.operation} ${s.lastOperation.status} ${s.lastOperation.startTime ?? ''}` : '-'}`,
  ].filter((l): l is string => l !== undefined);
  const out = [lines.join('\n')];
  if (s.restarts.perPeriod.some((p) => p.restarts !== 0)) {
    const healed = story.countFrom === undefined ? undefined : story.state;
    out.push(
      renderTable(
        restartRuns(s.restarts.perPeriod).map((r) => runCells(r, healed)),
        [
          { header: 'MINUTE', get: (c) => c.minute },
          { header: 'RESTARTS', get: (c) => c.restarts, align: 'right' },
          { header: 'NOTE', get: (c) => c.note },
        ],
      ).trimEnd(),
    );
  }
  out.push((renderFindings(s.findings) + renderVerdict(s.app, s.severity)).trimEnd());
  return `${out.join('\n')}\n`;
}
