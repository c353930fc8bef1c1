/**
 * What the rules look at: the primary trace, its root cause, the rest of the chain, the plain log
 * lines, and helpers to match a pattern family with a weight that depends on where it matched
 * (the root cause counts most, other causes less, loose log lines least).
 */
import type { Cause, ClassifyContext, ParsedText, RuleHit, Trace } from '../types.js';

/** Everything a rule may inspect. */
export interface Evidence {
  parsed: ParsedText;
  trace: Trace | undefined;
  root: Cause | undefined;
  rootIndex: number;
  /** The chain outermost first (empty without a trace). */
  chain: Cause[];
  /** Every cause of every trace plus the plain lines, as one searchable text. */
  allText: string;
  context: ClassifyContext;
}

/** A family of patterns that argue for one subtype with one weight. */
export interface PatternFamily {
  rule: string;
  subtype: string;
  /** > 0 toward user, < 0 toward system. */
  weight: number;
  /** Tested against the exception class name (FQCN). */
  exception?: RegExp;
  /** Tested against the message. */
  message?: RegExp;
  /** Skip the family when this matches anywhere in the text (a known look-alike). */
  unless?: RegExp;
  /** Only when this matches somewhere in the text (e.g. a checkpoint context). */
  requires?: RegExp;
  /** Also search the plain log lines (default true). */
  lines?: boolean;
}

/** Position factors: evidence in the root cause counts fully, elsewhere less. */
export const WHERE = { root: 1, chain: 0.8, lines: 0.6 } as const;

function clip(s: string, n = 160): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function describe(c: Cause): string {
  return clip(c.message ? `${c.exception}: ${c.message}` : c.exception);
}

function causeMatches(f: PatternFamily, c: Cause): boolean {
  if (f.exception?.test(c.exception)) return true;
  if (f.message?.test(c.message)) return true;
  // A message regex also sees "Class: message" so families can name both at once, and the message
  // with its line breaks folded (wrapped copies, ErrorStrings cut into lines).
  if (f.message?.test(`${c.exception}: ${c.message}`)) return true;
  if (f.message && /\s\s|\n/.test(c.message) && f.message.test(c.message.replace(/\s+/g, ' '))) return true;
  return false;
}

/** Matches a family against the evidence; at most one hit, from the most telling place. */
export function matchFamily(f: PatternFamily, ev: Evidence): RuleHit | undefined {
  if (f.unless?.test(ev.allText)) return undefined;
  if (f.requires && !f.requires.test(ev.allText)) return undefined;
  const hit = (factor: number, where: string, what: string): RuleHit => ({
    rule: f.rule,
    subtype: f.subtype,
    weight: round(f.weight * factor),
    evidence: `${where}: ${what}`,
  });
  if (ev.root && causeMatches(f, ev.root)) return hit(WHERE.root, 'root cause', describe(ev.root));
  for (let i = ev.chain.length - 1; i >= 0; i--) {
    const c = ev.chain[i] as Cause;
    if (c !== ev.root && causeMatches(f, c)) return hit(WHERE.chain, 'in the cause chain', describe(c));
  }
  for (const t of ev.parsed.traces) {
    if (t === ev.trace) continue;
    for (const c of t.chain)
      if (causeMatches(f, c)) return hit(WHERE.lines, 'in another exception of the text', describe(c));
  }
  if (f.lines !== false && f.message) {
    const line = ev.parsed.lines.find((l) => f.message?.test(l));
    // Without any exception in the text, the log lines are all the evidence there is.
    const alone = !ev.root || ev.root.exception === '';
    if (line) return hit(alone ? WHERE.root : WHERE.lines, 'in the log', clip(line));
  }
  return undefined;
}

/**
 * A user-side hit whose message is about a type the framework owns (a connector's or Flink's class
 * that changed its serialized form, or that Flink cannot serialize) is the framework's problem: the
 * owner never wrote or chose that type. Returns the system hit that replaces it, or the hit itself.
 */
export function aboutFrameworkType(
  h: RuleHit,
  named: string | undefined,
  origin: (cls: string) => string,
  replacement: { rule: string; subtype: string; weight: number; what: string },
): RuleHit {
  const owner = named ? origin(named) : undefined;
  if (!named || (owner !== 'connector' && owner !== 'flink')) return h;
  return {
    rule: replacement.rule,
    subtype: replacement.subtype,
    weight: replacement.weight,
    evidence: `${named} is ${owner === 'connector' ? 'a connector' : "Flink's"} type: ${replacement.what}`,
  };
}

/** Rounds a weight to 2 decimals (stable output). */
export function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Runs several families. */
export function matchFamilies(families: readonly PatternFamily[], ev: Evidence): RuleHit[] {
  const out: RuleHit[] = [];
  for (const f of families) {
    const h = matchFamily(f, ev);
    if (h) out.push(h);
  }
  return out;
}

export { clip, describe };
