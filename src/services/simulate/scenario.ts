/**
 * The scenario format of `streamctl healer simulate` (docs/scenarios.md): YAML or JSON, validated
 * with zod; every problem names the file, the line, the field and what was expected (exit 65).
 */
import { type Document, isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { HealerSection } from '../../config/sections/healer.js';
import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import { InputFileError, readInputFile } from '../../core/input.js';
import { REASONS } from '../../healer/decide/decision.js';

/** A duration such as 40s, 10m, 1h or a compound 6m20s / 1h30m; parsed to milliseconds. */
export function parseScenarioDuration(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text.trim());
  if (!m || text.trim() === '' || m.slice(1).every((g) => g === undefined)) return undefined;
  const [h, min, sec, ms] = m.slice(1).map((g) => Number(g ?? 0)) as [number, number, number, number];
  return ((h * 60 + min) * 60 + sec) * 1000 + ms;
}

const Dur = z
  .string()
  .refine((s) => parseScenarioDuration(s) !== undefined, 'a duration such as 40s, 10m, 1h or 6m20s')
  .transform((s) => parseScenarioDuration(s)!);

/**
 * A restart interval: a Flink restart takes seconds, and `every: 0` (or 1ms) made the simulator
 * generate restarts until the heap ran out.
 */
const RestartEvery = Dur.refine((ms) => ms >= 5_000, 'expected a restart interval of at least 5s');

/** Simulated work is bounded: a scenario tells an incident, not a month (a huge one ran 80 s). */
const MAX_SCENARIO_MS = 6 * 3_600_000;

const Exception = z.string().min(1).describe('The failure text (Flink exception with its Caused by: chain).');

const Loop = z.strictObject({
  every: RestartEvery.describe('Time between restarts.'),
  until: Dur.optional().describe('When the loop stops by itself (default: never).'),
  cause: z
    .enum(['user', 'system'])
    .describe('Ground truth: a fault in the job (user) or outside it (system).'),
  exception: Exception,
});

const Event = z.union([
  z.strictObject({
    at: Dur,
    update: z.strictObject({ toVersion: z.number().int().positive(), duration: Dur.default(60_000) }),
  }),
  z.strictObject({
    at: Dur,
    updateFails: z.strictObject({
      duration: Dur.default(120_000),
      error: z.string().min(1),
      systemRollback: z.boolean().default(true),
    }),
  }),
  z.strictObject({ at: Dur, stuck: z.strictObject({ status: z.enum(['UPDATING', 'AUTOSCALING']) }) }),
  z.strictObject({ at: Dur, loop: Loop }),
  z.strictObject({
    at: Dur,
    restarts: z.strictObject({
      count: z.number().int().min(1).max(50),
      spacing: Dur.default(5_000),
      cause: z.enum(['user', 'system']).default('system'),
      exception: Exception,
    }),
  }),
  z.strictObject({
    at: Dur,
    maintenance: z.strictObject({
      duration: Dur.default(30_000),
      restarts: z.number().int().min(0).max(10).default(1),
    }),
  }),
  z.strictObject({
    at: Dur,
    lock: z.strictObject({
      kind: z.enum(['rebalance', 'streamctl-action']),
      for: Dur,
      holder: z.string().default('streamctl kafka rebalance'),
    }),
  }),
  z.strictObject({
    at: Dur,
    externalChange: z.strictObject({ kind: z.enum(['iam', 'endpoint', 'network']), detail: z.string() }),
  }),
  z.strictObject({ at: Dur, checkpointsStop: z.literal(true) }),
  z.strictObject({ at: Dur, dashboard: z.enum(['available', 'unavailable']) }),
]);
export type ScenarioEvent = z.infer<typeof Event>;

const Response = z
  .strictObject({
    result: z.enum(['accepted', 'rejected']).default('accepted').describe('How the API answers the call.'),
    error: z.string().optional().describe('Error of a rejected call, e.g. "ResourceInUseException: ...".'),
    settleAfter: Dur.default(90_000).describe('How long until the application settles.'),
    heals: z.boolean().default(true).describe('Whether the loop stops once settled (rollback/redeploy).'),
    loop: Loop.optional().describe(
      'With heals: false, the loop the job runs after settling (e.g. the old version cannot read the new state); default: the same loop goes on.',
    ),
  })
  .refine((r) => r.loop === undefined || !r.heals, {
    message: 'a loop after the action needs heals: false',
    path: ['loop'],
  });

/** One operation of the application's history, finished before t = 0 (`ago` before the start). */
const HistoryEntry = z.strictObject({
  operation: z
    .enum(['UpdateApplication', 'RollbackApplication', 'StartApplication', 'StopApplication', 'Maintenance'])
    .describe('The MSF operation.'),
  status: z.enum(['SUCCESSFUL', 'FAILED', 'CANCELLED']).default('SUCCESSFUL'),
  ago: Dur.describe('When it ended, before t = 0.'),
  duration: Dur.default(60_000).describe('How long it ran (it started `ago + duration` before t = 0).'),
  toVersion: z.number().int().positive().optional().describe('The version it produced (updates, rollbacks).'),
  error: z.string().optional().describe('ErrorInfo of a FAILED operation.'),
  systemRollback: z
    .boolean()
    .default(false)
    .describe('A FAILED update that MSF system rollback reverted (RollbackOperationId).'),
});

const DecisionKind = z.enum(['ignore', 'record', 'wait', 'check', 'act', 'page']);

export const ScenarioSchema = z.strictObject({
  version: z.literal(1).default(1),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a kebab-case name'),
  description: z.string().min(1),
  duration: Dur.refine((ms) => ms > 0 && ms <= MAX_SCENARIO_MS, 'expected a duration from 1s to 6h').describe(
    'Virtual time to simulate.',
  ),
  healer: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('Overrides of the healer config section (same keys as streamctl.yaml).'),
  app: z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
    kind: z.enum(['managed', 'self-managed']).default('managed'),
    runtime: z
      .string()
      .regex(/^FLINK-\d+_\d+$/, 'a runtime such as FLINK-1_20 or FLINK-2_2')
      .default('FLINK-1_20'),
    status: z.enum(['RUNNING', 'READY', 'UPDATING', 'AUTOSCALING']).default('RUNNING'),
    versionId: z.number().int().positive().default(1),
    snapshots: z.number().int().min(0).default(3).describe('READY snapshots at t=0.'),
    snapshotsEnabled: z.boolean().default(true),
    systemRollback: z.boolean().default(true),
    checkpointing: z.boolean().default(true),
    parallelism: z.number().int().min(1).default(4),
    tags: z.record(z.string(), z.string()).default({}),
    checkpointInterval: Dur.default(60_000).describe(
      "The application's checkpoint interval (CheckpointConfiguration.CheckpointInterval).",
    ),
    checkpointStallAfter: Dur.optional().describe('flink.applications[].healing.checkpointStallAfter'),
    history: z
      .array(HistoryEntry)
      .default([])
      .describe(
        'Operations that finished before t = 0, oldest first; the last version produced is versionId.',
      ),
    healing: z.boolean().default(true).describe('flink.applications[].healing.enabled'),
    account: z.string().default('123456789012'),
    region: z.string().default('us-east-1'),
  }),
  world: z
    .strictObject({
      cloudwatchDelay: Dur.default(45_000).describe('How long after a period a datapoint becomes visible.'),
      dashboard: z.enum(['available', 'unavailable']).default('available'),
      metricsMissing: z.array(z.strictObject({ from: Dur, to: Dur })).default([]),
      events: z.array(Event).default([]),
      responses: z
        .strictObject({
          rollback: Response.prefault({}),
          forceStop: Response.prefault({ settleAfter: '30s' }),
          redeploy: Response.prefault({}),
        })
        .prefault({}),
      crash: z
        .strictObject({
          at: Dur,
          during: z
            .enum(['after-intent', 'after-call', 'idle'])
            .default('idle')
            .describe(
              'Crash at the first action at or after `at` (after the intent, or after the call), or at `at` when idle.',
            ),
          downFor: Dur.default(30_000),
        })
        .optional(),
    })
    .prefault({}),
  fleet: z
    .strictObject({
      apps: z
        .number()
        .int()
        .min(0)
        .max(10_000)
        .default(0)
        .describe('Other applications in the same account/region.'),
      looping: z
        .strictObject({
          count: z.number().int().min(1),
          at: Dur,
          every: RestartEvery,
          until: Dur.optional(),
          cause: z.enum(['user', 'system']).default('system'),
          exception: Exception,
        })
        .optional(),
    })
    .prefault({}),
  expect: z.strictObject({
    decision: z
      .strictObject({ kind: DecisionKind, reason: z.enum(REASONS) })
      .optional()
      .describe('The first decisive decision (not ignore/check/wait) for the app.'),
    reasons: z.array(z.enum(REASONS)).default([]).describe('Reasons that must appear, in this order.'),
    never: z.array(z.enum(REASONS)).default([]).describe('Reasons that must never appear.'),
    actions: z
      .array(z.enum(['rollback', 'force-stop', 'self-managed-redeploy']))
      .optional()
      .describe(
        'Exactly these actions, in order (default: not checked). An accepted action beyond their count is harmful.',
      ),
    classifyAs: z
      .enum(['user', 'system', 'unknown'])
      .optional()
      .describe("The effective verdict on the main app's first classified loop."),
    pages: z
      .boolean()
      .optional()
      .describe('Whether the main app is paged for any reason (a page decision or a critical notification).'),
    outcome: z.enum(['healed', 'stopped', 'gave-up', 'open', 'resolved', 'none']).optional(),
    detected: z
      .boolean()
      .optional()
      .describe('Whether a restart loop must (true) or must not (false) be detected.'),
    detectionWithin: Dur.optional().describe("Maximum time from the loop's third restart to detection."),
    maxHarmful: z.number().int().min(0).default(0),
  }),
});
export type Scenario = z.output<typeof ScenarioSchema>;

/** One problem in a scenario file. */
export interface ScenarioIssue {
  file: string;
  line?: number;
  field: string;
  message: string;
}

/** A scenario file that does not validate (exit 65), with every problem. */
export class ScenarioError extends StreamctlError {
  constructor(readonly issues: ScenarioIssue[]) {
    super(
      'BAD_INPUT',
      issues
        .map((i) => `${i.file}${i.line ? `:${i.line}` : ''}: ${i.field || '(top level)'}: ${i.message}`)
        .join('\n'),
      {
        exitCode: Sysexit.DATAERR,
        hint: 'Fix the scenario (format: docs/scenarios.md); nothing was simulated.',
      },
    );
  }
}

function lineOf(doc: Document, lc: LineCounter, path: Array<string | number>): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    const last = path[n - 1];
    let offset: number | undefined;
    if (isMap(parent))
      offset = (
        parent.items.find((it) => (it.key as { value?: unknown })?.value === last)?.key as
          | { range?: number[] }
          | undefined
      )?.range?.[0];
    else if (isSeq(parent) && typeof last === 'number')
      offset = (parent.items[last] as { range?: number[] } | undefined)?.range?.[0];
    if (offset !== undefined) return lc.linePos(offset).line;
  }
  return undefined;
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}${('input' in issue && issue.input === undefined) || /received undefined/.test(issue.message) ? ' (missing)' : ''}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'expected one event form: update, updateFails, stuck, loop, restarts, maintenance, lock, externalChange, checkpointsStop or dashboard (each with at)';
    default:
      return issue.message;
  }
}

/**
 * The history must tell one consistent story before t = 0: oldest first, each operation finished
 * before the next started, and the last version it produced is the app's `versionId`.
 */
function historyIssues(sc: Scenario): { path: Array<string | number>; message: string }[] {
  const out: { path: Array<string | number>; message: string }[] = [];
  const h = sc.app.history;
  h.forEach((e, i) => {
    const prev = h[i - 1];
    if (prev && e.ago + e.duration > prev.ago)
      out.push({
        path: ['app', 'history', i, 'ago'],
        message: 'must start after the previous entry ended (oldest first)',
      });
    if (e.status !== 'FAILED' && (e.error !== undefined || e.systemRollback))
      out.push({
        path: ['app', 'history', i, 'status'],
        message: 'error and systemRollback need status FAILED',
      });
  });
  const produced = [...h].reverse().find((e) => e.status === 'SUCCESSFUL' && e.toVersion !== undefined);
  if (produced && produced.toVersion !== sc.app.versionId)
    out.push({
      path: ['app', 'versionId'],
      message: `expected ${produced.toVersion}, the version the last successful operation of app.history produced`,
    });
  return out;
}

/**
 * Times that cannot make sense: a loop that stops before it starts, a metrics gap that ends
 * before it begins. Such scenarios used to run, and tested nothing.
 */
function timeIssues(sc: Scenario): { path: Array<string | number>; message: string }[] {
  const out: { path: Array<string | number>; message: string }[] = [];
  sc.world.events.forEach((e, i) => {
    if ('loop' in e && e.loop.until !== undefined && e.loop.until <= e.at)
      out.push({
        path: ['world', 'events', i, 'loop', 'until'],
        message: "expected a time after the loop's at",
      });
  });
  sc.world.metricsMissing.forEach((m, i) => {
    if (m.to <= m.from)
      out.push({
        path: ['world', 'metricsMissing', i, 'to'],
        message: 'expected a time after from (times run forward)',
      });
  });
  const f = sc.fleet.looping;
  if (f?.until !== undefined && f.until <= f.at)
    out.push({ path: ['fleet', 'looping', 'until'], message: "expected a time after the loop's at" });
  return out;
}

/** The healer overrides, checked as streamctl.yaml's healer section is: unknown keys refused. */
function healerIssues(sc: Scenario): { path: Array<string | number>; message: string }[] {
  const r = HealerSection.safeParse(sc.healer);
  if (r.success) return [];
  return r.error.issues.map((issue) => ({
    path: ['healer', ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')],
    message: describe(issue),
  }));
}

/** Parses and validates scenario text (YAML or JSON). */
export function parseScenario(text: string, file: string): Scenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line,
        field: '',
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  const r = ScenarioSchema.safeParse(toJS(doc, file));
  if (r.success) {
    const found = [...historyIssues(r.data), ...timeIssues(r.data), ...healerIssues(r.data)];
    const issues = found.map(({ path, message }) => ({
      file,
      line: lineOf(doc, lc, path),
      field: path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join(''),
      message,
    }));
    if (issues.length > 0) throw new ScenarioError(issues);
    return r.data;
  }
  throw new ScenarioError(
    r.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const field = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
      return { file, line: lineOf(doc, lc, path), field, message: describe(issue) };
    }),
  );
}

/** The document as data; an alias bomb (a few lines expanding to millions of nodes) is bad input. */
function toJS(doc: Document, file: string): unknown {
  try {
    return doc.toJS() ?? {};
  } catch (e) {
    throw new ScenarioError([
      { file, field: '', message: `YAML: ${(e as Error).message} (too many alias expansions)` },
    ]);
  }
}

/** Reads and validates a scenario file. */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readInputFile(file, 'scenario');
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    throw new ScenarioError([{ file, field: '', message: e.message.slice(file.length + 2) }]);
  }
  return parseScenario(text, file);
}
