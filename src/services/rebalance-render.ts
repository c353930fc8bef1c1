/**
 * Terminal rendering for `kafka rebalance execute | status | cancel`: a live progress line redrawn
 * in place on a TTY (one line per event when piped), the dry-run batches, and summaries.
 */
import { formatBytes, formatDuration, renderTable } from '../core/output.js';
import { formatRate } from '../rebalancer/throttle.js';
import type { RebalanceStatus } from './rebalance.js';
import type { ExecEvent } from './rebalance-exec/executor.js';
import type { DryRunBatch, ExecutionSummary } from './rebalance-summary.js';

const ops = (c: DryRunBatch['throttleConfigs'][number]) =>
  c.ops.map((o) => `${o.name} ${o.op}${o.value === undefined ? '' : ` ${o.value}`}`).join('; ');

/**
 * One event as text. Progress events are `transient` (redrawn in place on a TTY); everything else
 * is a permanent line.
 */
export function renderEvent(e: ExecEvent): { text: string; transient: boolean } {
  switch (e.type) {
    case 'phase':
      return { text: `${e.from} → ${e.to}${e.note ? ` (${e.note})` : ''}`, transient: false };
    case 'throttles-set':
      return {
        text: `${e.logDirs ? 'log dirs' : `batch ${e.batch + 1}`}: throttles set on ${e.changes.map((c) => `${c.type} ${c.name}`).join(', ')}`,
        transient: false,
      };
    case 'submitted':
      return {
        text: `batch ${e.batch + 1}: ${e.moves} reassignment(s) submitted, ${formatBytes(e.bytes)} to copy`,
        transient: false,
      };
    case 'progress': {
      const f = e.figures;
      const pct = f.bytesTotal ? ` ${((100 * f.bytesMoved) / f.bytesTotal).toFixed(1)}%` : '';
      return {
        text:
          `batch ${f.batch}/${f.batches}  partitions ${f.partitionsDone}/${f.partitionsTotal} done, ${f.partitionsInFlight} in flight (${f.partitionsCaughtUp} in ISR)  ` +
          `${formatBytes(f.bytesMoved)}/${formatBytes(f.bytesTotal)}${pct}` +
          `${f.rateBytesPerSec !== null ? `  ${formatRate(f.rateBytesPerSec)}` : ''}${f.etaMs !== null ? `  ETA ${formatDuration(f.etaMs)}` : ''}`,
        transient: true,
      };
    }
    case 'stall':
      return {
        text: `STALLED: batch ${e.batch + 1} has not advanced for ${formatDuration(e.stalledMs)}: ${e.partitions.join(', ')}${e.brokers.length ? `; waiting on broker(s) ${e.brokers.join(', ')}` : ''} (state is safe; still waiting)`,
        transient: false,
      };
    case 'stall-over':
      return { text: `batch ${e.batch + 1}: moving again`, transient: false };
    case 'batch-done':
      return { text: `batch ${e.batch + 1} done`, transient: false };
    case 'throttles-cleared':
      return { text: `throttles cleared (${e.changes} config change(s))`, transient: false };
    case 'reverted':
      return { text: `reverted in-flight reassignment(s): ${e.partitions.join(', ')}`, transient: false };
    case 'election':
      return {
        text: `preferred leader election: ${e.elected} elected, ${e.notNeeded} already leading${e.failed.length ? `, failed: ${e.failed.join(', ')}` : ''}`,
        transient: false,
      };
    case 'log-dirs':
      return {
        text: `log dirs: ${e.inPlace}/${e.total} replica(s) in their planned dir, ${e.moving} moving (${formatBytes(e.futureBytes)} copied)`,
        transient: e.inPlace < e.total,
      };
    case 'warning':
      return { text: `warning: ${e.message}`, transient: false };
  }
}

/** A writer that redraws transient lines in place on a TTY. */
export function eventWriter(stream: NodeJS.WriteStream): (e: ExecEvent) => void {
  let pending = false;
  return (e) => {
    const { text, transient } = renderEvent(e);
    if (stream.isTTY) {
      stream.write(`\r\x1b[2K${text}${transient ? '' : '\n'}`);
      pending = transient;
    } else if (!transient || !pending) {
      // Piped: progress at most once per batch change would be noise; print each permanent line.
      stream.write(`${text}\n`);
    }
  };
}

/** The dry-run output: every batch, its moves and the throttle configs it would set. */
export function renderDryRun(s: ExecutionSummary, batches: DryRunBatch[]): string {
  const out = [
    `dry run: ${s.partitions} partition(s) in ${batches.length} batch(es), ${formatBytes(s.bytesTotal)} to copy` +
      `${s.throttleBytesPerSec ? ` at ${formatRate(s.throttleBytesPerSec)}` : ', unthrottled'}; nothing was changed`,
  ];
  for (const b of batches) {
    out.push('', `batch ${b.index + 1} (${b.kind}, ${b.moves.length} move(s), ${formatBytes(b.bytes)})`);
    out.push(
      renderTable(b.moves, [
        { header: 'PARTITION', get: (m) => `${m.topic}-${m.partition}` },
        { header: 'FROM', get: (m) => m.from.join(',') },
        { header: 'TO', get: (m) => m.to.join(',') },
        { header: 'STEP', get: (m) => `${m.step}/${m.steps}` },
        { header: 'BYTES', get: (m) => formatBytes(m.bytes), align: 'right' },
      ]),
    );
    for (const c of b.throttleConfigs) out.push(`  throttle ${c.type} ${c.name}: ${ops(c)}`);
  }
  if (s.logDirs) {
    out.push('', `log dirs: ${s.logDirs.total} replica(s) to put in a planned dir (AlterReplicaLogDirs)`);
    if (s.throttleBytesPerSec)
      out.push(
        `  copies between dirs throttled: replica.alter.log.dirs.io.max.bytes.per.second ${s.throttleBytesPerSec} on the brokers that copy, restored at the end`,
      );
    for (const t of s.logDirs.targets)
      out.push(`  ${t.topic}-${t.partition} on broker ${t.broker} → ${t.dir}`);
  }
  for (const w of s.warnings) out.push(`warning: ${w}`);
  return out.join('\n');
}

/** A summary for the terminal. */
export function renderSummary(s: ExecutionSummary): string {
  const lines = [
    `rebalance of ${s.cluster}: ${s.phase}${s.error ? ` (${s.error})` : ''}`,
    `  batches ${s.batchesDone}/${s.batches}, moves ${s.movesDone} done, ${s.movesInFlight} in flight, ${s.movesPending} pending; ${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)} copied`,
    `  throttle ${s.throttleBytesPerSec ? formatRate(s.throttleBytesPerSec) : 'none'}; still set: ${s.throttlesSet.brokers.length ? `brokers ${s.throttlesSet.brokers.join(',')}` : 'no brokers'}, ${s.throttlesSet.topics.length ? `topics ${s.throttlesSet.topics.join(',')}` : 'no topics'}`,
    `  plan ${s.planFile}; state ${s.stateFile}`,
  ];
  if (s.logDirs)
    lines.push(
      `  log dirs: ${s.logDirs.inPlace}/${s.logDirs.total} replica(s) verified in their planned dir`,
    );
  if (s.election)
    lines.push(
      `  leaders: ${s.election.elected} elected, ${s.election.notNeeded} already preferred, ${s.election.failed.length} failed`,
    );
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

/** `status` for the terminal. */
export function renderStatus(r: RebalanceStatus): string {
  const out = [r.execution ? renderSummary(r.execution) : `no rebalance execution recorded for ${r.cluster}`];
  out.push(
    r.lockHolder
      ? `  running: ${r.lockHolder.owner} (pid ${r.lockHolder.pid})`
      : '  no streamctl process is acting on this cluster',
  );
  out.push(
    r.ongoing.length
      ? `  ${r.ongoing.length} reassignment(s) in progress in Kafka: ${r.ongoing.map((o) => `${o.topic}-${o.partition} +[${o.adding.join(',')}] -[${o.removing.join(',')}]`).join(', ')}`
      : '  no reassignment in progress in Kafka',
  );
  return out.join('\n');
}
