/**
 * Freezes the unseen split: appends to unseen.lock every case whose URL hash puts it in `unseen`
 * and that the lock does not hold yet (`npx tsx test/healer/classify/lock-unseen.ts [batch…]`). It never
 * removes a line: a case cannot leave `unseen` once frozen. Run it when a batch is complete, before
 * any rule is tuned on that batch.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, fnv1a, loadCorpus, normaliseUrl, readUnseenLock } from './corpus.js';

const lock = readUnseenLock();
const batches = process.argv.slice(2);
const fresh = loadCorpus().filter(
  (c) => c.split === 'unseen' && !lock.has(c.id) && (batches.length === 0 || batches.includes(c.batch)),
);
const lines = fresh.map((c) => `${c.id} ${fnv1a(normaliseUrl(c.source))}\n`).join('');
if (lines) appendFileSync(join(CORPUS_DIR, 'unseen.lock'), lines);
console.log(`unseen.lock: ${lock.size} frozen before, ${fresh.length} added`);
