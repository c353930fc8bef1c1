/** @jsxRuntime automatic */
// The pragma: the CLI runs through tsx from any working directory, where tsconfig.json is not found.
/**
 * The live view of `kafka rebalance execute` on a terminal (ink), in place of a redrawn line: the
 * current batch and the whole execution as bars (bytes moved / total), bytes remaining, the
 * throttle, the observed rate and the ETA, the current batch's partitions with their own
 * progress, a stall when there is one, and the last events. Piped output and --json keep the
 * plain lines (services/rebalance-render.ts).
 */
import { Box, Text } from 'ink';
import { useEffect, useReducer } from 'react';
import { formatBytes, formatDuration } from '../../core/output.js';
import { formatRate } from '../../rebalancer/throttle.js';
import type { MoveProgress, ProgressFigures } from '../../services/rebalance-exec/progress.js';
import { type EventHub, initialExecView, reduceExecView } from './exec-model.js';

const BAR = 24;

/** A bar of `width` cells for done/total, and the percentage. */
export function bar(done: number, total: number, width = BAR): string {
  const f = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const full = Math.round(f * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${(f * 100).toFixed(1).padStart(5)}%`;
}

/** The view: subscribes to the hub the executor emits into. */
export function ExecView({ cluster, hub }: { cluster: string; hub: EventHub }) {
  const [state, dispatch] = useReducer(reduceExecView, initialExecView);
  useEffect(() => hub.subscribe(dispatch), [hub]);
  const f = state.figures;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>rebalance {cluster}</Text>
        {state.phase ? <Text color="cyan"> · {state.phase}</Text> : null}
      </Text>
      {f ? <Figures f={f} /> : <Text dimColor>waiting for the first observation…</Text>}
      {state.stall ? (
        <Text color="red">
          STALLED {formatDuration(state.stall.stalledMs)}: {state.stall.partitions.slice(0, 6).join(', ')}
          {state.stall.brokers.length ? `; waiting on broker(s) ${state.stall.brokers.join(', ')}` : ''}
        </Text>
      ) : null}
      {state.log.length ? (
        <Box flexDirection="column" marginTop={1}>
          {state.log.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a scrolling log; lines repeat
            <Text key={i} dimColor>
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

function Figures({ f }: { f: ProgressFigures }) {
  const remaining = Math.max(0, f.bytesTotal - f.bytesMoved);
  const batch = `batch ${f.batch}/${f.batches}`;
  const width = Math.max(batch.length, 'overall'.length);
  return (
    <Box flexDirection="column">
      <Text>
        {batch.padEnd(width)} {bar(f.batchBytesMoved, f.batchBytesTotal)} {formatBytes(f.batchBytesMoved)} /{' '}
        {formatBytes(f.batchBytesTotal)}
      </Text>
      <Text>
        {'overall'.padEnd(width)} {bar(f.bytesMoved, f.bytesTotal)} {formatBytes(f.bytesMoved)} moved,{' '}
        {formatBytes(remaining)} remaining
      </Text>
      <Text>
        throttle {f.throttleBytesPerSec ? formatRate(f.throttleBytesPerSec) : 'none'} · rate{' '}
        {f.rateBytesPerSec !== null ? formatRate(f.rateBytesPerSec) : '…'} · ETA{' '}
        {f.etaMs !== null ? formatDuration(f.etaMs) : '…'}
      </Text>
      <Text>
        partitions {f.partitionsDone}/{f.partitionsTotal} done · {f.partitionsInFlight} in flight (
        {f.partitionsCaughtUp} in ISR)
      </Text>
      {f.current?.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text underline>current batch</Text>
          {f.current.map((m) => (
            <Move key={m.partition} m={m} />
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

function Move({ m }: { m: MoveProgress }) {
  const colour =
    m.status === 'done' ? 'green' : m.caughtUp ? 'cyan' : m.status === 'in-flight' ? 'yellow' : 'gray';
  const label = m.status === 'done' ? 'done' : m.caughtUp ? 'in ISR' : m.status;
  return (
    <Text>
      {'  '}
      {m.partition.padEnd(28)} {bar(m.moved, m.bytes, 12)} {formatBytes(m.moved)} / {formatBytes(m.bytes)}{' '}
      <Text color={colour}>{label}</Text>
    </Text>
  );
}
