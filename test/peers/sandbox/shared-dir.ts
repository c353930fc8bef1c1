import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The steering repo's shared/ folder (fixtures, generator), which lives beside the project's
 * clone: `<clone>/../shared`. STREAMCTL_SHARED_DIR overrides it.
 */
export function sharedDir(): string {
  if (process.env.STREAMCTL_SHARED_DIR) return process.env.STREAMCTL_SHARED_DIR;
  const beside = fileURLToPath(new URL('../../../../shared', import.meta.url));
  return existsSync(beside) ? beside : '/work/shared';
}

/** ../shared/fixtures/clusters */
export function clusterFixturesDir(): string {
  return join(sharedDir(), 'fixtures', 'clusters');
}

/** The snapshot generator (standard-library Python). */
export function snapshotGenerator(): string {
  return join(clusterFixturesDir(), 'generate.py');
}
