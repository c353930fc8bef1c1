/**
 * Mounts the live execution view (ink) for `kafka rebalance execute` on a terminal. ink and react
 * are imported here, lazily, only when a terminal will show the view: piped runs, --json and every
 * other command never load them (startup time, test/build/startup-imports.test.ts).
 */
import type { ExecEvent } from '../../services/rebalance-exec/executor.js';

/** The mounted view: feed it the executor's events, stop it before printing the summary. */
export interface LiveExecView {
  emit(e: ExecEvent): void;
  stop(): Promise<void>;
}

/**
 * Loads the view; it mounts on stdout at the first event, so the confirmation question (asked
 * before the executor emits anything) is not drawn over. Ctrl-C stays the executor's (state
 * saved, resumable).
 */
export async function startExecView(cluster: string): Promise<LiveExecView> {
  const [{ render }, { createElement }, { ExecView }, { createEventHub }] = await Promise.all([
    import('ink'),
    import('react'),
    import('./exec-view.js'),
    import('./exec-model.js'),
  ]);
  const hub = createEventHub();
  let app: ReturnType<typeof render> | undefined;
  return {
    emit(e) {
      app ??= render(createElement(ExecView, { cluster, hub }), { exitOnCtrlC: false, patchConsole: false });
      hub.publish(e);
    },
    async stop() {
      if (!app) return;
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
