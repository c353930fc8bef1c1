/**
 * The executor's persisted state machine (docs/design.md §6: state machines are explicit). One execution per cluster, saved as JSON
 * in `<stateDir>/rebalance/<cluster>/state.json` after every transition and before every action
 * that changes the cluster, so a process killed at any instant resumes correctly.
 *
 *              ┌──────────── resume (any non-terminal state) ───────────┐
 *              v                                                        │
 *   planned → checking → throttling → moving ──(next batch)──> throttling
 *                 │                     │ (last batch)
 *                 │                     v
 *                 └───(all done)──> verifying → clearing-throttles → done
 *   cancel (any non-terminal) ──> clearing-throttles → cancelled
 *   error (any non-terminal)  ──> failed   (throttles stay recorded: resume or cancel clears them)
 *
 * A batch goes pending → submitting (persisted BEFORE AlterPartitionReassignments) → submitted →
 * done. On resume a submitting/submitted batch is reconciled against the cluster: moves already at
 * their target are done, moves still ongoing are in flight, moves still at their source are
 * submitted again (the request had not reached Kafka). Nothing completed is ever re-submitted.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { badInput, StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import { writeFileAtomic } from '../../core/fs.js';
import { parseJsonInput } from '../../core/json-input.js';
import type { BatchingOptions } from '../../rebalancer/batching.js';

/** The execution phases. */
export const PHASES = [
  'planned',
  'checking',
  'throttling',
  'moving',
  'verifying',
  'clearing-throttles',
  'done',
  'cancelled',
  'failed',
] as const;
export type Phase = (typeof PHASES)[number];

/** Phases an execution never leaves. */
export const TERMINAL: ReadonlySet<Phase> = new Set<Phase>(['done', 'cancelled']);

const ACTIVE: Phase[] = [
  'planned',
  'checking',
  'throttling',
  'moving',
  'verifying',
  'clearing-throttles',
  'failed',
];

/**
 * Allowed transitions. Every non-terminal phase may go to `checking` (resume reconciles first),
 * to `clearing-throttles` (cancel) and to `failed`; `failed` is not terminal: resume or cancel
 * picks it up, since its throttles may still be set.
 */
export const TRANSITIONS: Readonly<Record<Phase, readonly Phase[]>> = {
  planned: ['checking', 'clearing-throttles', 'failed'],
  checking: ['checking', 'throttling', 'moving', 'verifying', 'clearing-throttles', 'failed'],
  throttling: ['moving', 'checking', 'clearing-throttles', 'failed'],
  moving: ['moving', 'throttling', 'verifying', 'checking', 'clearing-throttles', 'failed'],
  verifying: ['clearing-throttles', 'checking', 'failed'],
  'clearing-throttles': ['done', 'cancelled', 'failed', 'checking', 'clearing-throttles'],
  done: [],
  cancelled: [],
  failed: ['checking', 'clearing-throttles', 'failed'],
};

/** Throws when `from → to` is not in the table (a bug in the executor, exit 70). */
export function assertTransition(from: Phase, to: Phase): void {
  if (!TRANSITIONS[from].includes(to)) {
    throw new StreamctlError('INTERNAL', `rebalance executor: illegal transition ${from} → ${to}`, {
      exitCode: Sysexit.SOFTWARE,
    });
  }
}

/** Whether an execution can still be resumed or cancelled. */
export function isActive(p: Phase): boolean {
  return ACTIVE.includes(p);
}

const tp = { topic: z.string().min(1), partition: z.number().int().nonnegative() };
const ids = z.array(z.number().int().nonnegative());

const MoveSchema = z.object({
  ...tp,
  from: ids,
  replicas: ids.min(1),
  adding: ids,
  removing: ids,
  sizeBytes: z.number().nonnegative(),
  bytes: z.number().nonnegative(),
  step: z.number().int().positive(),
  steps: z.number().int().positive(),
  status: z.enum(['pending', 'in-flight', 'done']),
});
/** One reassignment of a batch, with its own status. */
export type ExecMove = z.infer<typeof MoveSchema>;

const BatchSchema = z.object({
  index: z.number().int().nonnegative(),
  kind: z.enum(['replicas', 'leaders']),
  status: z.enum(['pending', 'submitting', 'submitted', 'done']),
  bytes: z.number().nonnegative(),
  submittedAt: z.string().optional(),
  completedAt: z.string().optional(),
  moves: z.array(MoveSchema),
});
/** A batch as executed. */
export type ExecBatch = z.infer<typeof BatchSchema>;

const ThrottleSchema = z.object({
  rateBytesPerSec: z.number().positive().nullable(),
  /** Broker rates we set, with the value each key had before (null: unset) to restore. */
  brokers: z.record(z.string(), z.object({ leader: z.string().nullable(), follower: z.string().nullable() })),
  /** `partition:broker` entries we appended per topic, recorded before the append was sent. */
  topics: z.record(z.string(), z.object({ leader: z.array(z.string()), follower: z.array(z.string()) })),
  /** JBOD: brokers whose intra-broker copy rate we set, with the value it had before (null: unset). */
  dirBrokers: z.record(z.string(), z.string().nullable()).optional(),
});
/** The throttles this execution set (and only those: clearing never touches anyone else's). */
export type ThrottleRecord = z.infer<typeof ThrottleSchema>;

const StateSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  cluster: z.string(),
  planFile: z.string(),
  planHash: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  phase: z.enum(PHASES),
  /** Where clearing-throttles leads: done, cancelled or failed. */
  ending: z.enum(['done', 'cancelled', 'failed']).optional(),
  currentBatch: z.number().int().nonnegative(),
  batching: z.object({
    maxPerBroker: z.number().int().positive(),
    maxInCluster: z.number().int().positive(),
    oneReplicaAtATime: z.boolean(),
    order: z.enum(['small-first', 'large-first']),
  }),
  /** The assignment of every planned partition when the execution started (the "before"). */
  before: z.array(z.object({ ...tp, replicas: ids })),
  /** Partitions already at their target when the execution started. */
  alreadyInPlace: z.array(z.object(tp)),
  batches: z.array(BatchSchema),
  /** JBOD: replicas the plan puts in an explicit log dir, and whether DescribeLogDirs showed them there. */
  logDirs: z
    .array(z.object({ ...tp, broker: z.number().int().nonnegative(), dir: z.string(), inPlace: z.boolean() }))
    .optional(),
  throttles: ThrottleSchema,
  election: z.object({ elected: z.number(), notNeeded: z.number(), failed: z.array(z.string()) }).optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()),
  history: z.array(
    z.object({ at: z.string(), from: z.enum(PHASES), to: z.enum(PHASES), note: z.string().optional() }),
  ),
});
/** The whole persisted execution. */
export type ExecutionState = z.infer<typeof StateSchema>;

/** Moves a state to another phase (asserted) and records the transition in its history. */
export function transition(s: ExecutionState, to: Phase, now: number, note?: string): ExecutionState {
  assertTransition(s.phase, to);
  const at = new Date(now).toISOString();
  const entry = { at, from: s.phase, to, ...(note === undefined ? {} : { note }) };
  // The history keeps the last 200 transitions: a long execution polls, it does not loop.
  return { ...s, phase: to, updatedAt: at, history: [...s.history, entry].slice(-200) };
}

/** Where execution state lives and how it is saved; tests use an in-memory store. */
export interface StateStore {
  load(): ExecutionState | undefined;
  save(s: ExecutionState): void;
}

/** The batching options recorded in a state (what the executor used). */
export type RecordedBatching = BatchingOptions;

/** Parses a state file's text (bad files name the field, exit 65). */
export function parseState(text: string, file: string): ExecutionState {
  const raw = parseJsonInput(text, file, 'valid JSON (a rebalance execution state)');
  const r = StateSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field =
      issue.path
        .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
        .join('')
        .replace(/^\./, '') || '(top level)';
    throw badInput(file, field, 'a rebalance execution state written by streamctl', issue.message);
  }
  return r.data;
}

/** A state store over one JSON file, written atomically (temp file + rename). */
export function fileStateStore(file: string): StateStore {
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      return parseState(text, file);
    },
    save(s) {
      writeFileAtomic(file, `${JSON.stringify(s, null, 1)}\n`);
    },
  };
}

/** A store in memory that keeps every saved version (tests crash and resume from each). */
export class MemoryStateStore implements StateStore {
  readonly saves: ExecutionState[] = [];
  constructor(private current?: ExecutionState) {}
  load(): ExecutionState | undefined {
    return this.current === undefined ? undefined : structuredClone(this.current);
  }
  save(s: ExecutionState): void {
    this.current = structuredClone(s);
    this.saves.push(structuredClone(s));
  }
}
