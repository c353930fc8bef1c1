/**
 * Log groups the emulator serves: each MSF application's `/aws/kinesis-analytics/<name>` group,
 * filled from the real Flink log of the application's jobs (rendered as MSF's JSON log events),
 * plus events tests inject into any group through the control API.
 */
import type { EmulatorClock } from '../clock.js';
import type { FlinkBackend, JobLogEvent } from '../flink-backend.js';
import type { MsfEngine } from '../msf/engine.js';
import type { EmulatedApp } from '../msf/model.js';
import type { InsightsEvent } from './insights-run.js';

export interface InjectedEvent {
  timestampMs: number;
  message: string;
  logStream: string;
}

export class LogGroups {
  private readonly injected = new Map<string, InjectedEvent[]>();

  constructor(
    private readonly engine: MsfEngine,
    private readonly backend: FlinkBackend | undefined,
    private readonly clock: EmulatorClock,
  ) {}

  /** Adds events to a group (creating it). */
  put(group: string, events: InjectedEvent[]): void {
    let list = this.injected.get(group);
    if (!list) {
      list = [];
      this.injected.set(group, list);
    }
    list.push(...events);
  }

  exists(group: string): boolean {
    return this.injected.has(group) || this.appOf(group) !== undefined;
  }

  names(): string[] {
    return [
      ...new Set([...this.injected.keys(), ...[...this.engine.apps.values()].map((a) => a.logGroupName)]),
    ].sort();
  }

  /** Events of a group in [startMs, endMs] (emulator time). */
  async events(group: string, startMs: number, endMs: number): Promise<InsightsEvent[]> {
    const out: InsightsEvent[] = [];
    let seq = 0;
    const ptr = () => Buffer.from(`${group}:${seq++}`).toString('base64url');
    for (const e of this.injected.get(group) ?? []) {
      if (e.timestampMs >= startMs && e.timestampMs <= endMs) out.push({ ...e, logGroup: group, ptr: ptr() });
    }
    const app = this.appOf(group);
    if (app && this.backend) {
      for (const job of app.pastJobs) {
        // Flink stamps its log in real time; AWS time may run ahead by the control API's offset.
        const events = await this.backend.logEvents(job.jobId, startMs - this.clock.offsetMs());
        for (const e of events) {
          const t = e.timestampMs + this.clock.offsetMs();
          if (t < startMs || t > endMs) continue;
          out.push({
            timestampMs: t,
            message: msfJson(app, job.versionId, e),
            logStream: app.logStreamName,
            logGroup: group,
            ptr: ptr(),
          });
        }
      }
    }
    return out;
  }

  private appOf(group: string): EmulatedApp | undefined {
    return [...this.engine.apps.values()].find((a) => a.logGroupName === group);
  }
}

/** One Flink log event as MSF ships it to CloudWatch Logs (JSON, `message` member). */
function msfJson(app: EmulatedApp, versionId: number, e: JobLogEvent): string {
  return JSON.stringify({
    locationInformation: e.logger,
    logger: e.logger,
    message: e.message,
    ...(e.throwable ? { throwableInformation: e.throwable } : {}),
    threadName: e.threadName ?? 'flink',
    applicationARN: app.arn,
    applicationVersionId: String(versionId),
    messageSchemaVersion: '1',
    messageType: e.level,
  });
}
