/**
 * A separate process that takes a target's lock through the store, says `locked <pid>` and holds
 * it until killed (a real other holder for lock tests). argv: kind(sqlite|postgres) where target owner.
 */
import { openStore } from '../../src/store/index.js';
import { acquireTargetLock } from '../../src/store/target-lock.js';

const [kind, where, target, owner] = process.argv.slice(2) as [string, string, string, string];
process.env.LOCK_HOLDER_URL = where;
const store = await openStore({
  journal: where,
  store: {
    ...(kind === 'postgres' ? { url: { env: 'LOCK_HOLDER_URL' } } : {}),
    leaseTtl: '15s',
  },
});
await acquireTargetLock(store, { target, owner, now: Date.now() });
process.stdout.write(`locked ${process.pid}\n`);
setInterval(() => undefined, 60_000);
