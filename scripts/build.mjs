#!/usr/bin/env node
/**
 * `npm run build`: compiles src/ to dist/ and writes oclif.manifest.json, so that `bin/run.js`
 * starts without transpiling anything and without importing every command to list them.
 *
 * One ES module per source file, laid out as the sources are: oclif finds a command by its path
 * under dist/commands, and a command imports only the modules it uses. esbuild rather than tsc:
 * the same per-file output in about a second instead of about a minute (tsc 5.9 on this tree), so
 * every test run can rebuild first; type checking stays with `npm run typecheck`.
 *
 * Other processes may be running dist/ while it builds (tests spawn bin/run.js), so a file is
 * rewritten only when its bytes change, and always through a temporary file and a rename: no
 * reader ever sees half a module. Files whose source is gone are removed.
 *
 * Plain JavaScript on purpose: it must run on a clean clone before anything is compiled.
 */
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const manifestFile = join(root, 'oclif.manifest.json');

/** Every file under `dir`, as absolute paths (an absent dir has none). */
function walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (e.code === 'ENOENT') return [];
    throw e;
  }
  return entries.flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function readOrNull(file) {
  try {
    return readFileSync(file);
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
}

/** Writes `bytes` to `file` through a temporary sibling and a rename (atomic on one filesystem). */
function writeAtomic(file, bytes) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

/** Removes empty directories under `dir` (bottom up), leaving `dir` itself. */
function pruneEmptyDirs(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const sub = join(dir, e.name);
    pruneEmptyDirs(sub);
    if (readdirSync(sub).length === 0) rmdirSync(sub);
  }
}

/** Transpiles src/ into dist/; returns how many files were written and removed. */
async function compile() {
  const entryPoints = walk(src).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));
  const result = await build({
    entryPoints,
    outdir: dist,
    outbase: src,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'warning',
  });
  const produced = new Set();
  let written = 0;
  for (const out of result.outputFiles) {
    produced.add(out.path);
    const before = readOrNull(out.path);
    if (before && Buffer.compare(before, out.contents) === 0) continue;
    writeAtomic(out.path, out.contents);
    written++;
  }
  let removed = 0;
  for (const f of walk(dist)) {
    if (produced.has(f) || f.endsWith('.tmp')) continue;
    unlinkSync(f);
    removed++;
  }
  pruneEmptyDirs(dist);
  return { files: produced.size, written, removed };
}

/**
 * oclif.manifest.json: every command's id, flags, args and description, read from the compiled
 * classes. With it, `--help` and the dispatch to a command import no command module but the one
 * that runs. Regenerated when dist/ changed, or when the manifest is missing or for another version.
 */
async function writeManifest(distChanged) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const current = readOrNull(manifestFile);
  if (!distChanged && current && JSON.parse(current.toString('utf8')).version === pkg.version) return false;
  const { Plugin, settings } = await import('@oclif/core');
  // Under NODE_ENV=test or development oclif would map dist/ back to src/ and load it through tsx;
  // the manifest must describe what bin/run.js loads.
  settings.enableAutoTranspile = false;
  const plugin = new Plugin({
    root,
    isRoot: true,
    type: 'core',
    ignoreManifest: true,
    errorOnManifestCreate: true,
    respectNoCacheDefault: true,
  });
  await plugin.load();
  writeAtomic(manifestFile, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
  return true;
}

const started = performance.now();
const { files, written, removed } = await compile();
const manifest = await writeManifest(written + removed > 0);
const ms = Math.round(performance.now() - started);
if (!process.argv.includes('--quiet') || written + removed > 0) {
  process.stdout.write(
    `build: ${files} files in ${relative(root, dist)}/ (${written} written, ${removed} removed)` +
      `${manifest ? ', oclif.manifest.json written' : ''} in ${ms} ms\n`,
  );
}
