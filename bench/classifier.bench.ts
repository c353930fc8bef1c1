/**
 * The failure classifier on its corpus of real Flink failures (docs/classifier.md): right, unknown
 * and confidently wrong (> 0.8) per split — `seen` (the first collection, looked at while the rules
 * were written), `train` (batch cases rules may be tuned on) and the frozen `unseen` split (never
 * tuned on) — and per family; plus the time per classification.
 */
import { performance } from 'node:perf_hooks';
import { classifyFailure, classifyInput } from '../src/healer/classify/index.js';
import {
  type CorpusCase,
  contextOf,
  loadCorpus,
  type Split,
  unseenFreezes,
} from '../test/healer/classify/corpus.js';
import { type Measurement, measure, pct, scoreCases } from '../test/healer/classify/measure.js';
import { RENDERINGS } from '../test/healer/classify/renderings.js';

const corpus = loadCorpus();
const splits: Split[] = ['seen', 'train', 'unseen'];
const figures: Record<string, Measurement> = {};

function line(
  name: string,
  m: Measurement | Omit<Measurement, 'ambiguous' | 'ambiguousConfident' | 'byFamily'>,
): string {
  return `${name.padEnd(26)} ${String(m.cases).padStart(4)}  right ${pct(m.right, m.cases).padStart(6)}  unknown ${pct(m.unknown, m.cases).padStart(6)}  wrong ${String(m.wrong).padStart(3)}  confidently wrong ${m.confidentWrong} (${((100 * m.confidentWrong) / Math.max(1, m.cases)).toFixed(1)} per 100)`;
}

for (const split of splits) {
  const cases = corpus.filter((c: CorpusCase) => c.split === split);
  const m = measure(scoreCases(cases));
  figures[split] = m;
  process.stdout.write(
    `\n${split}: ${m.cases} labelled cases, ${m.ambiguous} ambiguous (confident on ${m.ambiguousConfident})\n`,
  );
  process.stdout.write(`${line('  all', m)}\n`);
  for (const [family, t] of Object.entries(m.byFamily).sort(([a], [b]) => a.localeCompare(b)))
    process.stdout.write(`${line(`  ${family}`, t)}\n`);
}

// Each freeze of the unseen split apart: the first was frozen before the classifier was rebuilt,
// later ones before any rule was tuned on their batches.
const freezes = unseenFreezes();
const byFreeze = new Map<number, CorpusCase[]>();
for (const c of corpus.filter((x) => x.split === 'unseen')) {
  const f = freezes.get(c.id) ?? 0;
  byFreeze.set(f, [...(byFreeze.get(f) ?? []), c]);
}
for (const [f, cases] of [...byFreeze].sort(([a], [b]) => a - b)) {
  const m = measure(scoreCases(cases));
  figures[`unseen-freeze-${f}`] = m;
  process.stdout.write(`${line(`unseen, freeze ${f}`, m)}\n`);
}

// Calibration: how often a verdict in each confidence band is right, tuning splits against unseen
// — what the healer's minConfidence (0.6) means on real failures.
const BANDS: [string, number, number][] = [
  ['< 0.60 (lean)', 0, 0.6],
  ['0.60-0.79', 0.6, 0.8],
  ['>= 0.80', 0.8, 2],
];
process.stdout.write('\ncalibration (verdicts only)       tuning (seen + train)   unseen\n');
const tuningScored = scoreCases(corpus.filter((c) => c.split !== 'unseen' && c.label !== 'ambiguous'));
const unseenScored = scoreCases(corpus.filter((c) => c.split === 'unseen' && c.label !== 'ambiguous'));
const band = (scored: typeof tuningScored, lo: number, hi: number) => {
  const inBand = scored.filter(({ r }) => r.verdict !== 'unknown' && r.confidence >= lo && r.confidence < hi);
  const right = inBand.filter(({ outcome }) => outcome === 'right').length;
  return `${String(right).padStart(3)}/${String(inBand.length).padEnd(3)} ${pct(right, inBand.length).padStart(6)}`;
};
for (const [name, lo, hi] of BANDS)
  process.stdout.write(
    `  ${name.padEnd(30)} ${band(tuningScored, lo, hi).padEnd(23)} ${band(unseenScored, lo, hi)}\n`,
  );

// Speed: every case classified REPEAT times, after a warm-up.
const REPEAT = 10;
for (const c of corpus) classifyFailure(c.text, contextOf(c));
const t0 = performance.now();
for (let i = 0; i < REPEAT; i++) for (const c of corpus) classifyFailure(c.text, contextOf(c));
const msPerCase = (performance.now() - t0) / (REPEAT * corpus.length);
process.stdout.write(
  `\nspeed: ${msPerCase.toFixed(3)} ms per classification (${corpus.length} cases × ${REPEAT})\n`,
);

const summary = (m: Measurement | undefined) =>
  m && {
    cases: m.cases,
    right: m.right,
    unknown: m.unknown,
    wrong: m.wrong,
    confidentWrong: m.confidentWrong,
    ambiguous: m.ambiguous,
  };
process.stdout.write(
  `${JSON.stringify({ bench: 'classifier', seen: summary(figures.seen), train: summary(figures.train), unseen: summary(figures.unseen), unseenByFreeze: Object.fromEntries([...byFreeze.keys()].map((f) => [f, summary(figures[`unseen-freeze-${f}`])])), msPerCase: Number(msPerCase.toFixed(3)) })}\n`,
);

// The same stack-trace cases rendered as the other sources show them (renderings.ts).
const traces = corpus.filter((c) => c.format === 'stacktrace' && c.label !== 'ambiguous');
const rendered: Record<string, { cases: number; right: number; sameVerdict: number }> = {};
for (const [name, render] of Object.entries(RENDERINGS)) {
  const t = { cases: 0, right: 0, sameVerdict: 0 };
  for (const c of traces) {
    const original = classifyFailure(c.text, contextOf(c)).verdict;
    const r = classifyInput(render(c.text), contextOf(c)).classification.verdict;
    t.cases++;
    if (r === c.label) t.right++;
    if (r === original) t.sameVerdict++;
  }
  rendered[name] = t;
  process.stdout.write(
    `rendered as ${name.padEnd(16)} ${t.cases} stack-trace cases: right ${pct(t.right, t.cases)}, same verdict as the trace ${pct(t.sameVerdict, t.cases)}\n`,
  );
}
process.stdout.write(`${JSON.stringify({ bench: 'classifier-formats', ...rendered })}\n`);
