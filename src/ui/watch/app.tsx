/** @jsxRuntime automatic */
// The pragma: the CLI runs through tsx from any working directory, where tsconfig.json is not found.
/**
 * `streamctl watch` on a terminal (ink): the fleet at a glance — Kafka clusters (disk, URP,
 * offline), Flink applications (status, restart DIFF, last checkpoint), healer incidents —
 * refreshed every `intervalMs` with the batched probes. ↑/↓ select, Enter drills into a cluster
 * or application, Esc goes back, r refreshes now, q quits.
 */
import { Box, type Key, Text, useApp, useInput } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatBytes, formatDuration } from '../../core/output.js';
import type { Severity } from '../../core/severity.js';
import type { FleetView } from '../../services/watch-model.js';
import {
  flinkCells,
  incidentCounts,
  incidentLine,
  kafkaCells,
  pct,
  restartTrail,
  suggestedRunbook,
} from './format.js';
import { type NavState, navigate, type RowRef, reselect, rowsOf } from './nav.js';

const COLOUR: Record<Severity, string> = {
  OK: 'green',
  WARNING: 'yellow',
  UNKNOWN: 'magenta',
  CRITICAL: 'red',
};

export interface WatchAppProps {
  load: () => Promise<FleetView>;
  /** Refresh period; 0 = only on `r`. */
  intervalMs: number;
  initial?: FleetView;
  onExit?: (last: FleetView | undefined) => void;
}

const cell = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));

/** The watch screen: the header, then the overview or one row's details. */
export function WatchApp({ load, intervalMs, initial, onExit }: WatchAppProps) {
  const { view, nav, loading, error } = useWatch(load, intervalMs, initial, onExit);
  const header = <Header view={view} intervalMs={intervalMs} loading={loading} />;
  if (!view)
    return (
      <Box flexDirection="column">
        {header}
        <Text>{error ? `Error: ${error}` : 'Loading the fleet…'}</Text>
      </Box>
    );
  return (
    <Box flexDirection="column">
      {header}
      {nav.detail ? (
        <Detail view={view} row={nav.detail} />
      ) : (
        <Overview view={view} selected={rowsOf(view)[nav.selected]} />
      )}
      {error && <Text color="red">{`refresh failed: ${error}`}</Text>}
      <Text dimColor>
        {nav.detail ? 'Esc back · r refresh · q quit' : '↑/↓ select · Enter details · r refresh · q quit'}
      </Text>
    </Box>
  );
}

/**
 * The watch's state: the fleet view, refreshed every `intervalMs` (never two refreshes at once),
 * the selection kept on the same row across refreshes, and the keys (q, r, arrows, Enter, Esc).
 */
function useWatch(
  load: WatchAppProps['load'],
  intervalMs: number,
  initial: FleetView | undefined,
  onExit: WatchAppProps['onExit'],
) {
  const { exit } = useApp();
  const [view, setView] = useState<FleetView | undefined>(initial);
  const [nav, setNav] = useState<NavState>({ selected: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const ref = useRef({ view, nav, busy: false });
  ref.current.view = view;
  ref.current.nav = nav;

  const refresh = useCallback(() => {
    if (ref.current.busy) return; // never two refreshes at once
    ref.current.busy = true;
    setLoading(true);
    load().then(
      (v) => {
        const before = ref.current.view ? rowsOf(ref.current.view) : [];
        const next = reselect(ref.current.nav, before, rowsOf(v));
        ref.current = { view: v, nav: next, busy: false };
        setView(v);
        setNav(next);
        setError(undefined);
        setLoading(false);
      },
      (e: Error) => {
        ref.current.busy = false;
        setError(e.message);
        setLoading(false);
      },
    );
  }, [load]);

  useEffect(() => {
    if (!initial) refresh();
    if (!intervalMs) return;
    const t = setInterval(refresh, intervalMs);
    return () => clearInterval(t);
  }, [refresh, intervalMs, initial]);

  useInput((input, key) => {
    const v = ref.current.view;
    if (input === 'q') {
      onExit?.(v);
      exit();
      return;
    }
    if (input === 'r') return refresh();
    const k = navKey(key);
    if (!v || !k) return;
    const next = navigate(ref.current.nav, k, rowsOf(v));
    ref.current.nav = next;
    setNav(next);
  });
  return { view, nav, loading, error };
}

/** The navigation a key means, if any. */
function navKey(key: Key): Parameters<typeof navigate>[1] | undefined {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  return undefined;
}

/** The title line: when the view was read, its severity, and the refresh period. */
function Header({
  view,
  intervalMs,
  loading,
}: {
  view: FleetView | undefined;
  intervalMs: number;
  loading: boolean;
}) {
  return (
    <Text>
      <Text bold>streamctl watch</Text>
      {view ? `  ${new Date(view.at).toISOString().replace('T', ' ').slice(0, 19)}Z  ` : '  '}
      {view && <Text color={COLOUR[view.severity]}>{view.severity}</Text>}
      <Text dimColor>{`  every ${formatDuration(intervalMs)}${loading ? '  refreshing…' : ''}`}</Text>
    </Text>
  );
}

const isSel = (sel: RowRef | undefined, kind: RowRef['kind'], name: string, index?: number) =>
  sel?.kind === kind &&
  sel.name === name &&
  (index === undefined || (sel.kind === 'incident' && sel.index === index));

function Overview({ view, selected }: { view: FleetView; selected: RowRef | undefined }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text
        bold
      >{`  ${cell('KAFKA CLUSTER', 18)}${cell('HEALTH', 10)}${cell('BROKERS', 14)}${cell('DISK MAX', 14)}${cell('URP', 6)}${cell('OFFLINE', 8)}`}</Text>
      {view.kafka.map((k) => {
        const c = kafkaCells(k);
        return (
          <Text key={k.cluster} inverse={isSel(selected, 'kafka', k.cluster)}>
            {isSel(selected, 'kafka', k.cluster) ? '❯ ' : '  '}
            {cell(c.cluster, 18)}
            <Text color={COLOUR[k.severity]}>{cell(c.severity, 10)}</Text>
            {cell(c.brokers, 14)}
            {cell(c.disk, 14)}
            {cell(c.urp, 6)}
            {cell(c.offline, 8)}
          </Text>
        );
      })}
      <Text> </Text>
      <Text
        bold
      >{`  ${cell('FLINK APPLICATION', 18)}${cell('HEALTH', 10)}${cell('STATUS', 13)}${cell('RESTARTS/MIN', 26)}${cell('LAST CHECKPOINT', 22)}`}</Text>
      {view.flink.map((f) => {
        const c = flinkCells(f);
        return (
          <Text key={f.app} inverse={isSel(selected, 'flink', f.app)}>
            {isSel(selected, 'flink', f.app) ? '❯ ' : '  '}
            {cell(c.app, 18)}
            <Text color={COLOUR[f.severity]}>{cell(c.severity, 10)}</Text>
            {cell(c.status, 13)}
            {cell(c.restarts, 26)}
            {cell(c.checkpoint, 22)}
          </Text>
        );
      })}
      <Text> </Text>
      <Text bold>{`  HEALER INCIDENTS (${incidentCounts(view)})`}</Text>
      {view.incidents.map((i, n) => (
        <Text key={`${i.app}-${i.kind}-${i.openedAt}`} inverse={isSel(selected, 'incident', i.app, n)}>
          {isSel(selected, 'incident', i.app, n) ? '❯ ' : '  '}
          {`${cell(i.app, 18)}${incidentLine(i)}`}
        </Text>
      ))}
      {view.incidents.length === 0 && <Text dimColor>{'  none'}</Text>}
      <Text dimColor>{`  AWS calls this refresh: ${
        Object.entries(view.calls)
          .map(([k, n]) => `${k}×${n}`)
          .join(' ') || 'none'
      }`}</Text>
    </Box>
  );
}

function Detail({ view, row }: { view: FleetView; row: RowRef }) {
  if (row.kind === 'kafka') {
    const k = view.kafka.find((x) => x.cluster === row.name);
    if (!k) return <Text>{`${row.name} is gone from the view`}</Text>;
    const hint = suggestedRunbook({ kind: 'kafka', k });
    return (
      <Box flexDirection="column" marginTop={1}>
        <Text bold>
          {`Kafka cluster ${k.cluster} (${k.brokerType ?? '?'}) — `}
          <Text color={COLOUR[k.severity]}>{k.severity}</Text>
        </Text>
        <Text>{`brokers up ${k.brokers}${k.brokersDown.length ? `, DOWN ${k.brokersDown.join(', ')}` : ''} · URP ${k.urp ?? '-'} · under min ISR ${k.underMinIsr ?? '-'} · offline ${k.offline}`}</Text>
        <Text bold>{`  ${cell('BROKER', 8)}${cell('DISK', 9)}${cell('PARTITIONS', 12)}LEADERS`}</Text>
        {k.perBroker.map((b) => (
          <Text
            key={b.id}
            color={b.severity === 'OK' ? undefined : COLOUR[b.severity]}
          >{`  ${cell(String(b.id), 8)}${cell(pct(b.usedPercent), 9)}${cell(String(b.partitions), 12)}${b.leaders}`}</Text>
        ))}
        {k.findings.slice(0, 8).map((f) => (
          <Text key={f.text}>
            {'  '}
            <Text color={COLOUR[f.severity]}>{f.severity}</Text> {f.text}
          </Text>
        ))}
        {hint && <Text color="cyan">{`Runbook: ${hint}`}</Text>}
      </Box>
    );
  }
  const app = row.name;
  const f = view.flink.find((x) => x.app === app);
  const incidents = view.incidents.filter((i) => i.app === app);
  if (!f) return <Text>{`${app}: incidents: ${incidents.map(incidentLine).join('; ') || 'none'}`}</Text>;
  const hint = suggestedRunbook({ kind: 'flink', f });
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>
        {`Flink application ${f.app} (${f.kind}) — `}
        <Text color={COLOUR[f.severity]}>{f.severity}</Text>
      </Text>
      <Text>{`status ${f.status}${f.runtime ? ` · ${f.runtime}` : ''}${f.versionId === undefined ? '' : ` · version ${f.versionId}`}`}</Text>
      <Text>{`${f.restartMetric ?? 'restarts'} DIFF per minute (oldest → newest): ${restartTrail(f, 15)} → ${f.loop}`}</Text>
      <Text>{`last checkpoint: ${f.lastCheckpointDurationMs === undefined ? 'unknown' : `${formatDuration(f.lastCheckpointDurationMs)}, ${formatBytes(f.lastCheckpointSizeBytes)}`} · failed checkpoints in the window: ${f.failedCheckpointsWindow ?? '-'}`}</Text>
      {f.story && <Text>{`story: ${f.story}`}</Text>}
      {(f.error ?? f.note) && <Text dimColor>{f.error ?? f.note}</Text>}
      <Text bold>{`Healer incidents: ${incidentCounts({ incidents })}`}</Text>
      {incidents.map((i) => (
        <Text key={`${i.kind}-${i.openedAt}`}>{`  ${incidentLine(i)}`}</Text>
      ))}
      {hint && <Text color="cyan">{`Runbook: ${hint}`}</Text>}
    </Box>
  );
}
