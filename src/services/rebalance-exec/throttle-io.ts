/**
 * The executor's throttle I/O: setting a batch's throttles, releasing a finished batch's entries
 * and clearing everything at the end, over KafkaAdminPort, with the pure plans of
 * throttle-apply.ts. Each config change is sent on its own and bounded in time, so one hung
 * broker (SIGSTOP, a long GC, a restart) never blocks the others; brokers that do not answer are
 * waited for (reported as a stall) before anything moves, and the throttle record in the state
 * file is updated through `commit` before changes are sent (set) and after they succeed (clear).
 */

import type { Clock } from '../../core/clock.js';
import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import type { ConfigChange, ConfigResult, KafkaAdminPort } from '../../probes/kafka-admin/port.js';
import type { ExecBatch, ThrottleRecord } from './execution-state.js';
import { Cancelled, type ExecEvent, type ExecutorTuning, within } from './executor-types.js';
import {
  ALTER_DIRS_RATE,
  dirThrottleSetPlan,
  FOLLOWER_RATE,
  FOLLOWER_REPLICAS,
  hasThrottles,
  LEADER_RATE,
  LEADER_REPLICAS,
  throttleClearPlan,
  throttleNeeds,
  throttleReleasePlan,
  throttleSetPlan,
} from './throttle-apply.js';

/** What ThrottleIO needs from the executor: I/O, and the state's throttle record. */
export interface ThrottleContext {
  admin: KafkaAdminPort;
  clock: Clock;
  tuning: ExecutorTuning;
  emit(e: ExecEvent): void;
  cancelRequested?: () => boolean;
  /** The current throttle record of the state. */
  record(): ThrottleRecord;
  /** Replaces the record in the state and saves the state. */
  commit(r: ThrottleRecord): void;
  /** Adds a warning to the state and saves it. */
  warn(message: string): void;
}

/** Throttle set / release / clear for one execution. */
export class ThrottleIO {
  constructor(private readonly c: ThrottleContext) {}

  /** Sets a batch's throttles (rates on its brokers, its replica entries); waits for silent brokers. */
  async setForBatch(b: ExecBatch): Promise<void> {
    const needs = throttleNeeds(b.moves.filter((m) => m.status !== 'done'));
    const newBrokers = needs.brokers.filter((x) => !this.c.record().brokers[String(x)]);
    const waiting = { since: this.c.clock.now(), stalled: false };
    // Previous rates are needed before anything is set (to restore them): wait for every broker.
    let brokerCfgs: ConfigResult[] = [];
    for (let attempt = 1; ; attempt++) {
      const got = await Promise.all(
        newBrokers.map((x) =>
          within(
            this.c.tuning.observeTimeoutMs,
            this.c.admin.describeBrokerConfigs(x, [LEADER_RATE, FOLLOWER_RATE]),
          ).catch(() => undefined),
        ),
      );
      const silent = newBrokers.filter((_, i) => !got[i] || got[i]!.error);
      if (!silent.length) {
        brokerCfgs = got as ConfigResult[];
        break;
      }
      await this.waitRound(b.index, attempt, waiting, silent.map(String), 'describe the throttle configs of');
    }
    const topicCfgs = needs.topics.size
      ? await within(
          this.c.tuning.observeTimeoutMs,
          this.c.admin.describeTopicConfigs([...needs.topics.keys()], [LEADER_REPLICAS, FOLLOWER_REPLICAS]),
        )
      : [];
    const { record, changes } = throttleSetPlan(this.c.record(), needs, brokerCfgs, topicCfgs);
    // Recorded before they are sent: a crash right after the call still knows what to clear.
    this.c.commit(record);
    let pending = changes;
    for (let attempt = 1; pending.length; attempt++) {
      const failed = await this.alterEach(pending);
      pending = failed.map((f) => f.change);
      if (pending.length)
        await this.waitRound(
          b.index,
          attempt,
          waiting,
          failed.map((f) => f.change.name),
          'set throttles on',
        );
    }
    if (waiting.stalled) this.c.emit({ type: 'stall-over', batch: b.index });
    if (changes.length) this.c.emit({ type: 'throttles-set', batch: b.index, changes });
  }

  /**
   * JBOD: sets the intra-broker copy rate (`replica.alter.log.dirs.io.max.bytes.per.second`) to
   * the execution's throttle on the brokers whose replicas move between dirs, recording each
   * broker's previous value first (restored by clearAll). Brokers that do not answer are retried
   * a few times, then skipped with a warning: their copies run at the broker's own rate.
   */
  async setForLogDirs(brokers: readonly number[]): Promise<void> {
    if (this.c.record().rateBytesPerSec === null) return;
    const fresh = brokers.filter((b) => !(String(b) in (this.c.record().dirBrokers ?? {})));
    const got = await Promise.all(
      fresh.map((b) =>
        within(
          this.c.tuning.observeTimeoutMs,
          this.c.admin.describeBrokerConfigs(b, [ALTER_DIRS_RATE]),
        ).catch(() => undefined),
      ),
    );
    const silent = fresh.filter((_, i) => !got[i] || got[i]!.error);
    const ok = brokers.filter((b) => !silent.includes(b));
    const { record, changes } = dirThrottleSetPlan(
      this.c.record(),
      ok,
      got.filter((g): g is ConfigResult => g !== undefined),
    );
    this.c.commit(record);
    const failed = await this.alterEach(changes);
    const set = changes.filter((c) => !failed.some((f) => f.change === c));
    if (set.length) this.c.emit({ type: 'throttles-set', batch: -1, changes: set, logDirs: true });
    const unset = [...silent, ...failed.map((f) => Number(f.change.name))];
    if (unset.length)
      this.c.warn(
        `log dirs: copy throttle not set on broker(s) ${unset.join(', ')}; they copy at their own rate`,
      );
  }

  /**
   * One round of waiting for brokers that do not answer (a SIGSTOPped or restarting broker): a
   * warning first, a stall event after stallMs, a failure after maxFailedPolls rounds; cancel
   * requests are honoured meanwhile. Nothing was moved yet for this batch, so waiting is safe.
   */
  private async waitRound(
    batch: number,
    attempt: number,
    w: { since: number; stalled: boolean },
    brokers: string[],
    what: string,
  ): Promise<void> {
    if (attempt >= this.c.tuning.maxFailedPolls) {
      throw new StreamctlError(
        'UNAVAILABLE',
        `could not ${what} broker(s) ${brokers.join(', ')} after ${attempt} attempts`,
        {
          exitCode: Sysexit.UNAVAILABLE,
          transient: true,
          hint: 'Nothing was moved for this batch. Run execute again once the brokers are back, or `kafka rebalance cancel`.',
        },
      );
    }
    if (attempt === 1)
      this.c.emit({ type: 'warning', message: `could not ${what} ${brokers.join(', ')}; retrying` });
    const waited = this.c.clock.now() - w.since;
    if (!w.stalled && waited >= this.c.tuning.stallMs) {
      w.stalled = true;
      this.c.emit({
        type: 'stall',
        batch,
        stalledMs: waited,
        partitions: [],
        brokers: brokers.map(Number).filter(Number.isInteger),
      });
    }
    if (this.c.cancelRequested?.()) throw new Cancelled();
    await this.c.clock.sleep(this.c.tuning.pollMs);
  }

  /** Sends each change on its own, bounded in time (one hung broker must not block the others). */
  private async alterEach(changes: ConfigChange[]): Promise<Array<{ change: ConfigChange; why: string }>> {
    const res = await Promise.all(
      changes.map(async (change) => {
        try {
          const e = (
            await within(this.c.tuning.observeTimeoutMs, this.c.admin.incrementalAlterConfigs([change]))
          )[0]?.error;
          return e && !(change.type === 'topic' && e.name === 'UNKNOWN_TOPIC_OR_PARTITION')
            ? { change, why: e.name }
            : undefined;
        } catch (e) {
          return { change, why: (e as Error).message };
        }
      }),
    );
    return res.filter((x): x is { change: ConfigChange; why: string } => x !== undefined);
  }

  /** Removes our entries for finished moves; what fails stays recorded and is cleared at the end. */
  async release(needs: ReturnType<typeof throttleNeeds>): Promise<void> {
    const { record, changes } = throttleReleasePlan(this.c.record(), needs);
    if (!changes.length) return;
    const failed = await this.alterEach(changes);
    if (failed.length) {
      this.c.emit({
        type: 'warning',
        message: `throttled replicas of ${failed.map((f) => f.change.name).join(', ')} not released yet (${failed[0]!.why}); they are cleared at the end`,
      });
      return;
    }
    this.c.commit(record);
  }

  /**
   * Clears everything the record lists (topic entries subtracted, broker rates restored), retrying
   * brokers that do not answer; throws THROTTLES_LEFT (they stay recorded) after 5 rounds. Returns
   * the number of config changes applied.
   */
  async clearAll(): Promise<number> {
    let total = 0;
    const ours = structuredClone(this.c.record());
    for (let attempt = 0; hasThrottles(this.c.record()); attempt++) {
      const changes = throttleClearPlan(this.c.record());
      const failed = await this.alterEach(changes);
      const next = structuredClone(this.c.record());
      for (const c of changes) {
        if (failed.some((f) => f.change === c)) continue;
        if (c.type === 'topic') delete next.topics[c.name];
        else {
          delete next.brokers[c.name];
          if (next.dirBrokers) delete next.dirBrokers[c.name];
        }
      }
      total += changes.length - failed.length;
      this.c.commit(next);
      if (!hasThrottles(next)) break;
      const left = [
        ...[...new Set([...Object.keys(next.brokers), ...Object.keys(next.dirBrokers ?? {})])].map(
          (x) => `broker ${x}`,
        ),
        ...Object.keys(next.topics).map((x) => `topic ${x}`),
      ];
      if (attempt >= 4)
        throw new StreamctlError(
          'THROTTLES_LEFT',
          `replication throttles could not be cleared on ${left.join(', ')}`,
          {
            exitCode: Sysexit.UNAVAILABLE,
            transient: true,
            hint: 'They stay recorded: run `kafka rebalance cancel` (or execute) again once those brokers answer.',
          },
        );
      await this.c.clock.sleep(this.c.tuning.pollMs);
    }
    if (hasThrottles(ours)) await this.confirmCleared(ours);
    return total;
  }

  /**
   * Reads the throttles back. KRaft applies config changes through the metadata log, so a broker
   * that was slow (just SIGCONTed, say) may still show our values a moment after the change
   * succeeded (seen on 3.9): re-send the clear for what is still there, for a bounded time.
   */
  private async confirmCleared(ours: ThrottleRecord): Promise<void> {
    const rate = String(ours.rateBytesPerSec);
    for (let attempt = 0; ; attempt++) {
      const left: ThrottleRecord = { rateBytesPerSec: ours.rateBytesPerSec, brokers: {}, topics: {} };
      for (const [b, prev] of Object.entries(ours.brokers)) {
        const r = await this.c.admin
          .describeBrokerConfigs(Number(b), [LEADER_RATE, FOLLOWER_RATE])
          .catch(() => undefined);
        if (
          r?.entries.some(
            (e) =>
              e.source === 'dynamic-broker' &&
              e.value === rate &&
              e.value !== (e.name === LEADER_RATE ? prev.leader : prev.follower),
          )
        )
          left.brokers[b] = prev;
      }
      const topics = Object.keys(ours.topics);
      const cfgs = topics.length
        ? await this.c.admin
            .describeTopicConfigs(topics, [LEADER_REPLICAS, FOLLOWER_REPLICAS])
            .catch(() => [])
        : [];
      for (const c of cfgs) {
        const mine = ours.topics[c.name]!;
        const has = (k: string, entries: string[]) =>
          (c.entries.find((e) => e.name === k)?.value ?? '')
            .split(',')
            .some((x) => entries.includes(x.trim()));
        if (has(LEADER_REPLICAS, mine.leader) || has(FOLLOWER_REPLICAS, mine.follower))
          left.topics[c.name] = mine;
      }
      if (!hasThrottles(left)) return;
      if (attempt >= 10) {
        const what = [
          ...Object.keys(left.brokers).map((x) => `broker ${x}`),
          ...Object.keys(left.topics).map((x) => `topic ${x}`),
        ].join(', ');
        this.c.warn(
          `throttles still read back as set on ${what} after clearing; check with kafka-configs --describe`,
        );
        return;
      }
      await this.c.clock.sleep(this.c.tuning.pollMs);
      await this.c.admin.incrementalAlterConfigs(throttleClearPlan(left)).catch(() => undefined);
    }
  }
}
