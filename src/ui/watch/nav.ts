/**
 * Keyboard navigation of the watch view (pure): the selectable rows in display order — Kafka
 * clusters, then Flink applications, then healer incidents — and what ↑/↓/Enter/Esc do.
 */
import type { FleetView } from '../../services/watch-model.js';

export type RowRef =
  | { kind: 'kafka'; name: string }
  | { kind: 'flink'; name: string }
  | { kind: 'incident'; name: string; index: number };

/** The selectable rows of a view, in display order. */
export function rowsOf(v: FleetView): RowRef[] {
  return [
    ...v.kafka.map((k) => ({ kind: 'kafka' as const, name: k.cluster })),
    ...v.flink.map((f) => ({ kind: 'flink' as const, name: f.app })),
    ...v.incidents.map((i, index) => ({ kind: 'incident' as const, name: i.app, index })),
  ];
}

export interface NavState {
  selected: number;
  /** The drilled-into row, if any. */
  detail?: RowRef;
}

export type NavKey = 'up' | 'down' | 'enter' | 'escape';

/** Applies one key (pure). Selection is clamped; Enter drills into the selected row; Esc goes back. */
export function navigate(s: NavState, key: NavKey, rows: RowRef[]): NavState {
  if (s.detail) return key === 'escape' ? { selected: s.selected } : s;
  switch (key) {
    case 'up':
      return { selected: Math.max(0, s.selected - 1) };
    case 'down':
      return { selected: Math.min(Math.max(0, rows.length - 1), s.selected + 1) };
    case 'enter': {
      const r = rows[s.selected];
      return r ? { selected: s.selected, detail: r } : s;
    }
    case 'escape':
      return s;
  }
}

/** Keeps the selection on the same row after a refresh (rows may come and go). */
export function reselect(s: NavState, before: RowRef[], after: RowRef[]): NavState {
  const cur = before[s.selected];
  const i = cur ? after.findIndex((r) => r.kind === cur.kind && r.name === cur.name) : -1;
  return { ...s, selected: i >= 0 ? i : Math.min(s.selected, Math.max(0, after.length - 1)) };
}
