/**
 * Helpers of the daemon's start and stop (daemon.ts): opening the store while it cannot be
 * opened, and the shutdown grace after which calls in flight are aborted.
 */
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import { parseDuration } from '../../core/clock.js';
import type { HealerPolicy } from '../../healer/policy.js';
import { openStore } from '../../store/index.js';
import type { CoordinationStore } from '../../store/port.js';
import type { DaemonLogger } from './logger.js';

/** Starts `onElapsed` `ms` after `signal` aborts; the returned function disarms it. */
export function armGrace(signal: AbortSignal, ms: number, onElapsed: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const start = () => {
    timer = setTimeout(onElapsed, ms);
  };
  if (signal.aborted) start();
  else signal.addEventListener('abort', start, { once: true });
  return () => {
    clearTimeout(timer);
    signal.removeEventListener('abort', start);
  };
}

/**
 * Opens the coordination store, retrying every tick interval while it cannot (a garbage journal
 * file, PostgreSQL down): the daemon does not act meanwhile. Undefined when stopped first.
 */
export async function openStoreWhenUsable(
  config: Config,
  signal: AbortSignal,
  clock: Clock,
  log: DaemonLogger,
  onFault: (fault: string | undefined) => void,
): Promise<CoordinationStore | undefined> {
  const retryMs = parseDuration(config.healer.tickInterval) ?? 60_000;
  let faulted = false;
  while (!signal.aborted) {
    try {
      const store = await openStore(config.healer);
      if (faulted) log.info({}, 'journal usable again: resuming');
      onFault(undefined);
      return store;
    } catch (e) {
      const where = config.healer.store.url ? 'the coordination store' : `journal ${config.healer.journal}`;
      faulted = true;
      onFault(`${where}: ${(e as Error).message}`);
      log.error(
        { error: (e as Error).message },
        'journal unusable: refusing to act until it can be opened and written (see /healthz)',
      );
      await clock.sleep(retryMs, signal).catch(() => undefined);
    }
  }
  return undefined;
}

/** The start line: mode, endpoint, store, the applications watched (and a warning when none). */
export function logStart(
  log: DaemonLogger,
  config: Config,
  policy: HealerPolicy,
  endpoint: string,
  apps: string[],
  notifications: readonly string[],
): void {
  log.info(
    {
      mode: policy.mode,
      endpoint,
      store: config.healer.store.url ? 'postgres' : `sqlite ${config.healer.journal}`,
      apps,
      discoverManaged: config.flink.discoverManaged,
      tickIntervalMs: policy.tickIntervalMs,
      suspectCheckIntervalMs: policy.suspectCheckIntervalMs,
      notifications,
    },
    policy.mode === 'act'
      ? 'healer started: mode act (actions are performed)'
      : 'healer started: dry-run (decisions are recorded, no action is taken; set healer.mode: act to act)',
  );
  if (apps.length === 0 && !config.flink.discoverManaged)
    log.warn(
      { hint: 'add flink.applications, or set flink.discoverManaged: true' },
      'no Flink application to watch: the healer will tick over an empty fleet',
    );
}
