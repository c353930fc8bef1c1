/**
 * The port to CloudWatch Logs Insights for one region.
 * Adapters: index.ts (the SDK, AWS JSON 1.1), fake.ts (canned results per query).
 */
export interface CloudWatchLogsPort {
  /**
   * StartQuery, then GetQueryResults until Complete (Scheduled/Running are polled with the
   * injected clock). Failed/Cancelled/Timeout and our own deadline are temporary failures.
   */
  runInsightsQuery(q: InsightsQuery): Promise<InsightsResult>;
}

export interface InsightsQuery {
  logGroupNames: string[];
  queryString: string;
  /** Epoch ms; sent as epoch seconds (start rounded down, end rounded up). */
  start: number;
  end: number;
  /** Max rows (Logs Insights caps at 10,000). */
  limit?: number;
}

/** One result row: field name → value (`@ptr` dropped). */
export type InsightsRecord = Record<string, string>;

export interface InsightsResult {
  records: InsightsRecord[];
  recordsMatched?: number;
  recordsScanned?: number;
  bytesScanned?: number;
}

/** A subtask state change parsed from a Flink log line ("<task> switched from X to Y"). */
export interface SubtaskTransition {
  /** Epoch ms of the log event. */
  timestamp: number;
  /** The task (vertex) name, without the "(i/n)#attempt (id)" suffix. */
  task: string;
  /** 0-based subtask index (Flink prints index+1 in "(i/n)"). */
  subtaskIndex?: number;
  parallelism?: number;
  /** Execution attempt number (Flink 1.15+ prints "#N"; 1.16+ also ends the attempt id with it). */
  attempt?: number;
  from: string;
  to: string;
}

/** The first failure of a restart loop: what to classify (docs/design.md §3). */
export interface FirstFailure {
  timestamp: number;
  task?: string;
  attempt?: number;
  /** The exception with its "Caused by:" chain and frames, as logged. */
  exceptionText: string;
}
