/**
 * Prints the classifier's result on the corpus: `npx tsx test/healer/classify/eval-corpus.ts [train|validation|all]`.
 * A development aid (not a test); docs/classifier.md quotes its summary.
 */
import { classifyFailure } from '../../../src/healer/classify/index.js';
import { contextOf, loadCorpus } from './corpus.js';

const which = process.argv[2] ?? 'train';
const verbose = process.argv.includes('-v');
const cases = loadCorpus().filter((c) => which === 'all' || c.split === which);
let right = 0;
let unknown = 0;
let wrong = 0;
let confidentWrong = 0;
for (const c of cases) {
  const r = classifyFailure(c.text, contextOf(c));
  const expected = c.expect ?? c.label;
  const ok = r.verdict === expected;
  if (r.verdict === 'unknown') unknown++;
  else if (r.verdict === c.label) right++;
  else {
    wrong++;
    if (r.confidence > 0.8) confidentWrong++;
  }
  if (!ok || verbose) {
    console.log(
      `${ok ? 'ok  ' : 'MISS'} ${c.id} [${c.split}] label=${c.label}${c.expect ? `/expect=${c.expect}` : ''} got=${r.verdict} ${r.confidence} ${r.subtype} root=${r.rootCause.exception}`,
    );
    if (!ok)
      for (const s of r.signals)
        console.log(`       ${s.weight > 0 ? '+' : ''}${s.weight} ${s.rule}: ${s.evidence}`);
  }
}
const n = cases.length;
console.log(
  `${which}: ${n} cases; correct ${right} (${((100 * right) / n).toFixed(1)}%), unknown ${unknown}, wrong ${wrong} (confident >0.8: ${confidentWrong})`,
);
console.log(JSON.stringify({ split: which, cases: n, correct: right, unknown, wrong, confidentWrong }));
