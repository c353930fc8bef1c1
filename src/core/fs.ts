import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StreamctlError } from './errors.js';
import { Sysexit } from './exit-codes.js';

/**
 * Writes a file atomically: a temp file beside the target, fsync'd by writeFileSync, then a
 * rename. A crash or a full disk never leaves a half-written plan, snapshot or report behind.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: { mode?: number } = {}): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, data, { flush: true, ...(opts.mode === undefined ? {} : { mode: opts.mode }) });
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      /* the temp file could not even be created */
    }
    throw new StreamctlError(
      'CANTCREAT',
      `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        exitCode: 73, // EX_CANTCREAT
        hint: 'Check that the directory exists, is writable and has free space; nothing was written.',
      },
    );
  }
}
