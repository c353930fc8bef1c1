import { BaseCommand } from '../../cli/base-command.js';
import { openStore } from '../../store/index.js';
import { describeInspection, inspectStore } from '../../store/inspect.js';

/** What `healer migrate` did. */
export interface MigrateResult {
  kind: 'sqlite' | 'postgres';
  location: string;
  before: number;
  after: number;
}

export default class HealerMigrate extends BaseCommand {
  static override description =
    "Create or upgrade the coordination store (healer journal, leader leases, per-target locks) to this version's schema: the SQLite file healer.journal, or PostgreSQL at healer.store.url. Versioned migrations, each in one transaction; safe to run while daemons run (they also migrate on start).";

  static override examples = ['<%= config.bin %> healer migrate', '<%= config.bin %> healer migrate --json'];

  async run(): Promise<MigrateResult> {
    const { flags } = await this.parse(HealerMigrate);
    const { config } = await this.getConfig(flags.config);
    const before = await inspectStore(config.healer);
    const store = await openStore(config.healer);
    let after: number;
    try {
      after = await store.schemaVersion();
    } finally {
      await store.close();
    }
    const result: MigrateResult = {
      kind: store.kind,
      location: store.location,
      before: before.version,
      after,
    };
    if (!this.jsonEnabled())
      this.print(
        before.version === after
          ? `Store ${store.location} (${store.kind}) is at schema v${after}: nothing to do.`
          : `Store ${store.location} (${store.kind}) migrated from v${before.version} to v${after}.`,
      );
    describeInspection({ ...before, version: after });
    return result;
  }
}
