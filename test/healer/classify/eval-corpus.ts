/**
 * Prints the classifier's result on the corpus:
 *   npx tsx test/healer/classify/eval-corpus.ts [seen|train|tuning|unseen|all] [-v]
 * `tuning` = seen + train, the only cases rules may be tuned on. For `unseen` only the totals are
 * printed: its misses are not to be read while tuning (docs/classifier.md).
 */
import { loadCorpus } from './corpus.js';
import { measure, pct, scoreCases } from './measure.js';

const which = process.argv[2] ?? 'tuning';
const verbose = process.argv.includes('-v');
const cases = loadCorpus(undefined, (e) => console.error(`skipped: ${e.message.split('\n')[0]}`)).filter(
  (c) => which === 'all' || c.split === which || (which === 'tuning' && c.split !== 'unseen'),
);
const scored = scoreCases(cases);
if (which !== 'unseen' && which !== 'all') {
  for (const { c, r, outcome } of scored) {
    if (outcome === 'right' && !verbose) continue;
    if (outcome === 'ambiguous' && !verbose && (r.verdict === 'unknown' || r.confidence <= 0.8)) continue;
    console.log(
      `${outcome.toUpperCase().padEnd(9)} ${c.id} [${c.split}/${c.family}] label=${c.label} got=${r.verdict} ${r.confidence} ${r.subtype} root=${r.rootCause.exception}`,
    );
    if (outcome !== 'right')
      for (const s of r.signals)
        console.log(`       ${s.weight > 0 ? '+' : ''}${s.weight} ${s.rule}: ${s.evidence}`);
  }
}
const m = measure(scored);
console.log(
  `${which}: ${m.cases} labelled cases; right ${m.right} (${pct(m.right, m.cases)}), unknown ${m.unknown} (${pct(m.unknown, m.cases)}), wrong ${m.wrong} (confident >0.8: ${m.confidentWrong}); ambiguous ${m.ambiguous} (confident: ${m.ambiguousConfident})`,
);
for (const label of ['user', 'system'] as const) {
  const l = measure(scored.filter(({ c }) => c.label === label));
  console.log(
    `  labelled ${label}: ${l.cases}; right ${l.right} (${pct(l.right, l.cases)}), unknown ${l.unknown}, wrong ${l.wrong}`,
  );
}
