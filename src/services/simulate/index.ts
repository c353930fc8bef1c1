/**
 * The service behind `streamctl healer simulate`: load and validate every scenario first (a bad
 * file fails the whole run with exit 65 before anything is simulated), then replay each.
 */

import { type SimulationResult, simulate } from './run.js';
import { loadScenario, type Scenario, ScenarioError } from './scenario.js';

export { renderSimulation } from './render.js';
export { type SimulationResult, simulate, type TimelineEntry } from './run.js';
export { loadScenario, parseScenario, type Scenario, ScenarioError } from './scenario.js';

export interface SimulationRun {
  results: SimulationResult[];
  passed: boolean;
}

/** Loads every scenario (collecting all file errors), then simulates each in turn. */
export async function simulateFiles(files: readonly string[]): Promise<SimulationRun> {
  const scenarios: { file: string; scenario: Scenario }[] = [];
  const issues: ScenarioError['issues'] = [];
  for (const file of files) {
    try {
      scenarios.push({ file, scenario: loadScenario(file) });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      issues.push(...e.issues);
    }
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  const results: SimulationResult[] = [];
  for (const { file, scenario } of scenarios) results.push(await simulate(scenario, { file }));
  return { results, passed: results.every((r) => r.passed) };
}
