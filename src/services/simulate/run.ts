/**
 * Replays a scenario in virtual time with the SAME detectors, classifier and policy as the daemon
 * (through `runTick`), against a simulated fleet that reacts to actions, then checks the scenario's
 * expectations and computes the figures (detection latency, decision and reason, time to recovery,
 * harmful actions, API calls).
 */

import { VirtualClock } from '../../core/clock.js';
import { defaultClassifier, type FailureClassifier } from '../../healer/classifier.js';
import type { HealerJournal } from '../../healer/journal/port.js';
import { onProbation, resumeFleetState } from '../../healer/journal/resume.js';
import { type HealerPolicy, policyFromConfig } from '../../healer/policy.js';
import { type FleetHealerState, initialFleetState } from '../../healer/state.js';
import { MemoryJournal } from '../healer/journal/memory.js';
import { runTick, type TickDeps } from '../healer/tick.js';
import { checkExpectations } from './expect.js';
import { formatOffset, type SimulationFigures, type SimulationResult } from './figures.js';
import { DaemonCrash, SimActions, SimObserver } from './ports.js';
import { SimRecorder } from './recorder.js';
import type { Scenario } from './scenario.js';
import { SimWorld } from './world.js';

const STEP_MS = 5_000;

/** Runs one scenario. */
export async function simulate(
  scenario: Scenario,
  opts: { file?: string; classifier?: FailureClassifier; journal?: HealerJournal } = {},
): Promise<SimulationResult> {
  const run = new SimRun(scenario, opts.journal ?? new MemoryJournal(), opts.classifier ?? defaultClassifier);
  await run.drive();
  const figures = await run.figures();
  const mismatches = checkExpectations(
    scenario,
    figures,
    run.rec.reasons,
    run.world.actions.filter((a) => a.app === scenario.app.name).map((a) => a.type),
  );
  return {
    scenario: scenario.name,
    ...(opts.file ? { file: opts.file } : {}),
    passed: mismatches.length === 0,
    mismatches,
    figures,
    reasons: run.rec.reasons,
    timeline: run.rec.timeline,
  };
}

/**
 * One simulation: the world, the daemon's state between ticks (which a crash loses and the
 * journal rebuilds), and the virtual clock, advanced in 5-second steps; a tick runs when the full
 * tick is due or an app's re-check is.
 */
class SimRun {
  readonly world: SimWorld;
  readonly rec: SimRecorder;
  private readonly policy: HealerPolicy;
  private readonly main: string;
  // Virtual time: the clock only moves when the driver advances it.
  private readonly clock = new VirtualClock(0);
  private now = 0;
  private readonly observer: SimObserver;
  private readonly actions: SimActions;
  private readonly deps: TickDeps;
  private fleet: FleetHealerState = initialFleetState();
  private nextFull = 0;
  private readonly nextCheck = new Map<string, number>();
  private downUntil: number | undefined;
  private idleCrash: Scenario['world']['crash'];
  private ticks = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly journal: HealerJournal,
    classifier: FailureClassifier,
  ) {
    this.policy = policyFromConfig(scenario.healer);
    this.world = new SimWorld(scenario);
    this.main = scenario.app.name;
    this.rec = new SimRecorder(this.main, this.policy.minConfidence);
    this.idleCrash = scenario.world.crash?.during === 'idle' ? scenario.world.crash : undefined;
    this.observer = new SimObserver(
      this.world,
      { account: scenario.app.account, region: scenario.app.region },
      this.policy.loop.lookbackPeriods,
    );
    this.actions = new SimActions(this.world, () => this.now, scenario.world.crash);
    this.deps = {
      observer: this.observer,
      actions: this.actions,
      journal,
      classifier,
      policy: this.policy,
      healingEnabled: (app) => (app === this.main ? scenario.app.healing : true),
      now: () => this.now,
    };
  }

  /** Steps the clock through the scenario's duration. */
  async drive(): Promise<void> {
    for (; this.clock.now() <= this.scenario.duration; this.clock.advance(STEP_MS)) {
      this.now = this.clock.now();
      this.world.advanceTo(this.now);
      if (this.downUntil !== undefined) {
        if (this.now < this.downUntil) continue;
        await this.resume();
      }
      if (this.idleCrash && this.now >= this.idleCrash.at) {
        this.idleCrash = undefined;
        this.crash('idle');
        continue;
      }
      await this.step();
    }
  }

  /** The daemon killed: its in-memory state is lost, the journal survives. */
  private crash(why: string): void {
    this.fleet = initialFleetState();
    this.nextCheck.clear();
    this.downUntil = this.now + (this.scenario.world.crash?.downFor ?? 30_000);
    this.rec.note(
      this.now,
      'crash',
      `daemon killed (${why}); in-memory state lost, the journal survives; down for ${formatOffset(this.downUntil - this.now)}`,
    );
  }

  /** The daemon back up: its state rebuilt from the journal, as the real one does at start. */
  private async resume(): Promise<void> {
    const { journal, now, policy } = this;
    this.downUntil = undefined;
    this.fleet = resumeFleetState({
      now,
      policy,
      openIncidents: await journal.openIncidents(),
      unfinished: await journal.unfinishedActions(),
      recentActions: await journal.actionsSince(now - 3_600_000),
      healedRecently: onProbation(await journal.incidents({}), now, policy),
    });
    const unfinished = await journal.unfinishedActions();
    this.rec.note(
      now,
      'resume',
      `daemon restarted: ${Object.keys(this.fleet.apps).length} app state(s) rebuilt from the journal, ${unfinished.length} unfinished action(s) to reconcile`,
    );
    this.nextFull = now;
    this.rec.forgetLastDecision();
  }

  /** A tick when one is due: the full tick, or the apps whose re-check time has come. */
  private async step(): Promise<void> {
    const now = this.now;
    const full = now >= this.nextFull;
    const due = full ? undefined : [...this.nextCheck.entries()].filter(([, t]) => t <= now).map(([a]) => a);
    if (due?.length === 0) return;
    let tick: Awaited<ReturnType<typeof runTick>>;
    try {
      tick = await runTick(this.deps, this.fleet, now, due);
    } catch (e) {
      if (!(e instanceof DaemonCrash)) throw e;
      // The tick died mid-way: what it decided is in the journal (decisions are recorded before acting).
      for (const rec of (await this.journal.decisions({ app: this.main })).filter((x) => x.at === now)) {
        this.rec.detection(now, rec.anomalies);
        this.rec.decision(now, rec.decision, true);
      }
      this.crash(
        e.during === 'after-intent'
          ? 'after journaling the intent, before the call'
          : 'after the call, before journaling its outcome',
      );
      return;
    }
    this.ticks++;
    this.fleet = tick.state;
    if (full) this.nextFull = now + this.policy.tickIntervalMs;
    for (const r of tick.report.apps) {
      if (r.nextCheckAt !== undefined) this.nextCheck.set(r.app, r.nextCheckAt);
      else this.nextCheck.delete(r.app);
      this.rec.report(now, r);
    }
  }

  /** How the main application's story ended. */
  private async outcome(): Promise<SimulationFigures['outcome']> {
    const state = this.fleet.apps[this.main];
    const incidents = await this.journal.incidents({ app: this.main });
    const last = incidents[incidents.length - 1];
    if (!last) return 'none';
    const lastAction = last.actions[last.actions.length - 1];
    if (state?.phase === 'gave-up')
      return lastAction?.type === 'force-stop' && lastAction.outcome === 'healed' ? 'stopped' : 'gave-up';
    if (this.rec.healedAt !== undefined && (state?.phase === 'healed' || last.status === 'resolved'))
      return 'healed';
    return last.status === 'resolved' ? 'resolved' : 'open';
  }

  /** The figures (detection latency, time to recovery, pages, harm, API calls), after the run. */
  async figures(): Promise<SimulationFigures> {
    const { rec, world, main, actions } = this;
    const outcome = await this.outcome();
    const ours = actions.notifications.filter((n) => n.app === main || n.incidentKey.startsWith('fleet/'));
    for (const n of ours)
      rec.note(n.t, 'notify', `${n.event} ${n.severity} [${n.reason}] (${n.incidentKey})`);
    rec.timeline.sort((a, b) => a.t - b.t);
    const third = world.thirdLoopRestart();
    const first = world.firstLoopRestart();
    const recovered = outcome === 'healed' || outcome === 'resolved';
    return {
      ...(third !== undefined && rec.detectedAt !== undefined
        ? { detectionLatencyMs: rec.detectedAt - third }
        : {}),
      ...(rec.detectedAt !== undefined ? { detectedAt: rec.detectedAt } : {}),
      ...(rec.firstDecision ? { firstDecision: rec.firstDecision } : {}),
      ...(first !== undefined && rec.healedAt !== undefined && recovered
        ? { timeToRecoveryMs: rec.healedAt - first }
        : {}),
      outcome,
      ...(rec.classifiedAs ? { classifiedAs: rec.classifiedAs } : {}),
      pages: rec.pageDecisions + ours.filter((n) => n.severity === 'critical').length,
      actions: world.actions,
      harmful: world.actions.flatMap((a) =>
        a.harmful.map((why) => ({ t: a.t, app: a.app, type: a.type, why })),
      ),
      notifications: actions.notifications.length,
      ticks: this.ticks,
      apiCalls: this.observer.calls,
      fleetDecisions: rec.fleetDecisions,
    };
  }
}

export type { SimulationFigures, SimulationResult, TimelineEntry } from './figures.js';
export { formatOffset } from './figures.js';
