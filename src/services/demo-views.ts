/**
 * The demo's last check: after the healer's verified heal, every view an operator would open tells
 * the same story — `flink status`, `watch`, `flink exceptions`, `healer history` and the report —
 * and the journal has the incident resolved. Each view is run through the real CLI, as the
 * operator would run it, and read from its `--json`.
 */
import type { FleetReport } from '../report/model.js';
import type { DemoState } from './demo-state.js';
import type { ExceptionsView } from './flink/exceptions.js';
import type { FlinkStatus } from './flink/status.js';
import type { StoriedHistoryView } from './healer-history.js';
import type { FleetView } from './watch-model.js';

/** What one view said about the application after the heal. */
export interface ViewVerdict {
  view: string;
  /** The story's state as this view tells it (`healed` after a verified heal). */
  state: string;
  line: string;
}

export interface ViewsCheck {
  views: ViewVerdict[];
  /** Every view says `healed`. */
  agree: boolean;
  /** The journal's own status of the episode's incident. */
  incident: string;
  /** The loop's first failure is still reachable from `flink exceptions` (the history stays visible). */
  firstFailureReachable: boolean;
  /** Views that printed no JSON, with the tail of their output. */
  errors?: string[];
}

/** The demo's CLI runner: `streamctl <args> --json`, its JSON parsed (undefined when none). */
type Cli = (
  state: DemoState,
  args: string[],
) => Promise<{ code: number | null; out: unknown; text?: string }>;

/** Runs the five views and compares what they say (the CLI runner is the demo's). */
export async function checkViews(state: DemoState, app: string, cli: Cli): Promise<ViewsCheck> {
  const errors: string[] = [];
  // A view that printed no JSON is asked once more (a CLI start can fail while dist/ is rebuilt);
  // if it still prints none, its error is kept for the summary instead of a bare "?".
  const json = async <T>(args: string[]): Promise<Partial<T> | undefined> => {
    let r = await cli(state, args);
    if (r.out === undefined) {
      await new Promise((ok) => setTimeout(ok, 2000));
      r = await cli(state, args);
    }
    if (r.out === undefined)
      errors.push(
        `${args.slice(0, 2).join(' ')}: exit ${r.code}: ${(r.text ?? '').trim().split('\n').slice(-3).join(' ')}`,
      );
    return r.out as Partial<T> | undefined;
  };
  const [status, watch, exceptions, history, report] = await Promise.all([
    json<FlinkStatus>(['flink', 'status', app]),
    json<FleetView>(['watch', '--once']),
    json<ExceptionsView>(['flink', 'exceptions', app]),
    json<StoriedHistoryView>(['healer', 'history', app]),
    json<FleetReport>(['report', '--format', 'json']),
  ]);
  const row = watch?.flink?.find((f) => f.app === app);
  const incidentRow = watch?.incidents?.find((i) => i.app === app);
  const last = history?.incidents?.at(-1);
  const reported = report?.flink?.find((f) => f.name === app);
  const views: ViewVerdict[] = [
    { view: 'flink status', state: status?.story?.state ?? '?', line: status?.story?.headline ?? '' },
    {
      view: 'watch',
      state:
        row?.loop === incidentRow?.status || !incidentRow
          ? (row?.loop ?? '?')
          : `${row?.loop}/${incidentRow?.status}`,
      line: row?.story ?? '',
    },
    {
      view: 'flink exceptions',
      state: exceptions?.story?.status ?? '?',
      line: exceptions?.story?.text ?? '',
    },
    {
      view: 'healer history',
      state: (last && history?.stories?.[last.key]?.status) ?? '?',
      line: (last && history?.stories?.[last.key]?.text) ?? '',
    },
    {
      view: 'report',
      state: (report?.healer?.openIncidents ?? []).some((i: { app: string }) => i.app === app)
        ? 'open incident'
        : (reported?.story?.state ?? '?'),
      line: reported?.story?.headline ?? '',
    },
  ];
  return {
    views,
    ...(errors.length ? { errors } : {}),
    agree: views.every((v) => v.state === 'healed'),
    incident: last?.status ?? 'none',
    firstFailureReachable: Boolean(exceptions?.firstFailure ?? exceptions?.loop?.firstFailure),
  };
}
