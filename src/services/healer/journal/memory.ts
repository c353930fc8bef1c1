/** An in-memory journal (the simulator and tests). Same contract as the SQLite one. */
import type { Incident } from '../../../healer/incident.js';
import {
  type ActionHistory,
  type DecisionRecord,
  FINAL_OUTCOMES,
  type HealerJournal,
  type IntentRecord,
  type OutcomeRecord,
} from '../../../healer/journal/port.js';

export class MemoryJournal implements HealerJournal {
  private readonly decisionRows: DecisionRecord[] = [];
  private readonly intents: IntentRecord[] = [];
  private readonly outcomes: OutcomeRecord[] = [];
  private readonly incidentRows = new Map<string, Incident>();
  private seq = 0;

  async recordDecision(r: DecisionRecord): Promise<void> {
    this.decisionRows.push(structuredClone(r));
  }
  async recordIntent(r: Omit<IntentRecord, 'id'>): Promise<string> {
    const id = `i${++this.seq}`;
    this.intents.push(structuredClone({ ...r, id }));
    return id;
  }
  async recordOutcome(r: OutcomeRecord): Promise<void> {
    this.outcomes.push({ ...r });
  }
  async upsertIncident(i: Incident): Promise<void> {
    this.incidentRows.set(i.key, structuredClone(i));
  }
  private history(i: IntentRecord): ActionHistory {
    return { ...structuredClone(i), outcomes: this.outcomes.filter((o) => o.intentId === i.id) };
  }
  async unfinishedActions(): Promise<ActionHistory[]> {
    return this.intents
      .map((i) => this.history(i))
      .filter((h) => !h.outcomes.some((o) => FINAL_OUTCOMES.includes(o.status)));
  }
  async actionsSince(since: number): Promise<ActionHistory[]> {
    return this.intents.filter((i) => i.at >= since).map((i) => this.history(i));
  }
  async openIncidents(): Promise<Incident[]> {
    return [...this.incidentRows.values()].filter((i) => i.status === 'open').map((i) => structuredClone(i));
  }
  async decisions(opts: { app?: string; limit?: number } = {}): Promise<DecisionRecord[]> {
    const rows = this.decisionRows.filter((d) => !opts.app || d.app === opts.app);
    return rows.slice(-(opts.limit ?? rows.length));
  }
  async actions(opts: { app?: string; limit?: number } = {}): Promise<ActionHistory[]> {
    const rows = this.intents.filter((i) => !opts.app || i.app === opts.app).map((i) => this.history(i));
    return rows.slice(-(opts.limit ?? rows.length));
  }
  async incidents(opts: { app?: string; limit?: number } = {}): Promise<Incident[]> {
    const rows = [...this.incidentRows.values()].filter((i) => !opts.app || i.app === opts.app);
    return rows.slice(-(opts.limit ?? rows.length));
  }
  async close(): Promise<void> {}
}
