#!/usr/bin/env node
/**
 * `npm run build`: compiles src/ to dist/ and writes oclif.manifest.json, so that `bin/run.js`
 * starts without transpiling anything and without importing every command to list them.
 *
 * esbuild, bundling: one entry per command (oclif finds it by its path under dist/commands), the
 * code they share in dist/chunks/, and @oclif/core, zod and yaml bundled in, because loading
 * their ~240 files one by one was most of a start (`npm run bench -- startup`). Every other
 * dependency stays external and loads where the code imports it (the AWS SDK, kafkajs, ink,
 * better-sqlite3, pino only on the paths that use them). esbuild rather than tsc: about a second
 * instead of about a minute (tsc 5.9 on this tree), so every test run can rebuild first; type
 * checking stays with `npm run typecheck`.
 *
 * Other processes may be running dist/ while it builds (tests spawn bin/run.js), so a file is
 * rewritten only when its bytes change, always through a temporary file and a rename (no reader
 * sees half a module), and a chunk no longer referenced is removed only an hour after it went
 * stale (a running CLI may still import it lazily). `--clean` removes stale files at once.
 *
 * Plain JavaScript on purpose: it must run on a clean clone before anything is compiled.
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** Bundled into dist/ rather than loaded from node_modules file by file (see the header). */
const BUNDLED = new Set(['@oclif/core', 'zod', 'yaml']);
/** oclif's optional TypeScript loaders: never used by bin/run.js (auto-transpile is off). */
const OPTIONAL = ['typescript', 'ts-node', 'tsx'];
/**
 * Dev-only entries, compiled beside the rest so that they share its chunks (one StreamctlError
 * class, one config loader) but kept in dist/dev/, which package.json `files` leaves out of the
 * package: the demo's sandbox host (real Kafka, real Flink, the AWS emulator), loaded by
 * src/services/demo-sandbox.ts in a checkout. Code only they reach is inlined into them, never into a
 * shared chunk, because each is the only entry that imports it.
 */
const DEV_ENTRIES = [
  { in: join(root, 'test', 'peers', 'sandbox', 'demo', 'host.ts'), out: 'dev/sandbox-host' },
];
/** A stale chunk is kept this long: a CLI started before it went stale may still import it. */
const STALE_GRACE_MS = 60 * 60 * 1000;
const staleFile = join(dist, '.stale.json');

/**
 * The entry points: every command, every oclif hook (package.json oclif.hooks), the oclif bundle
 * bin/run.js imports, and every module that resolves a path from `import.meta.url` (`new URL('../../bin/run.js', import.meta.url)`): as an
 * entry it keeps its own place (src/a/b.ts → dist/a/b.js), so such paths resolve as in src/,
 * instead of from whichever chunk or command the module would otherwise be folded into.
 */
function entryPoints() {
  const sources = walk(src).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));
  const shipped = sources
    .filter(
      (f) =>
        f.startsWith(join(src, 'commands') + '/') ||
        f.startsWith(join(src, 'hooks') + '/') ||
        f === join(src, 'cli', 'oclif.ts') ||
        readFileSync(f, 'utf8').includes('import.meta.url'),
    )
    .map((f) => ({ in: f, out: relative(src, f).replace(/\.tsx?$/, '') }));
  return [...shipped, ...DEV_ENTRIES];
}

function externals() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
  return [...deps.filter((d) => !BUNDLED.has(d)), ...OPTIONAL];
}

/** Removes stale outputs: at once with --clean, else chunks after STALE_GRACE_MS, others at once. */
function removeStale(produced, clean, now) {
  const before = JSON.parse(readOrNull(staleFile)?.toString('utf8') ?? '{}');
  const still = {};
  let removed = 0;
  for (const f of walk(dist)) {
    if (produced.has(f) || f === staleFile || f.endsWith('.tmp')) continue;
    const key = relative(dist, f);
    const since = before[key] ?? now;
    if (clean || !key.startsWith('chunks/') || now - since >= STALE_GRACE_MS) {
      unlinkSync(f);
      removed++;
    } else still[key] = since;
  }
  const record = `${JSON.stringify(still, null, 2)}\n`;
  if (readOrNull(staleFile)?.toString('utf8') !== record) writeAtomic(staleFile, record);
  pruneEmptyDirs(dist);
  return removed;
}

/** Compiles src/ into dist/; returns how many files it produced, wrote and removed. */
async function compile({ clean }) {
  const result = await build({
    entryPoints: entryPoints(),
    outdir: dist,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    external: externals(),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    sourcemap: 'linked',
    sourcesContent: false,
    // The bundled CommonJS (oclif) calls require(): an ES module has none unless it makes one.
    banner: {
      js: "import { createRequire as __streamctlRequire } from 'node:module';\nconst require = __streamctlRequire(import.meta.url);",
    },
    write: false,
    logLevel: 'warning',
  });
  const produced = new Set(result.outputFiles.map((out) => out.path));
  const changed = result.outputFiles.filter((out) => {
    const before = readOrNull(out.path);
    return !before || Buffer.compare(before, out.contents) !== 0;
  });
  // A CLI may start between two writes. New files first (a changed chunk gets a new name), then
  // rewritten ones, commands last: a module is never on disk before the files it imports.
  const rank = (out) =>
    !existsSync(out.path) ? 0 : out.path.startsWith(join(dist, 'commands') + sep) ? 2 : 1;
  for (const out of changed.sort((a, b) => rank(a) - rank(b))) writeAtomic(out.path, out.contents);
  const written = changed.length;
  const removed = removeStale(produced, clean, Date.now());
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
  // The bundled oclif, the one the commands were built with and bin/run.js runs. Auto-transpile
  // off: under NODE_ENV=test or development oclif would map dist/ back to src/ through tsx.
  const { Plugin, settings } = await import(pathToFileURL(join(dist, 'cli', 'oclif.js')).href);
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
const { files, written, removed } = await compile({ clean: process.argv.includes('--clean') });
const manifest = await writeManifest(written + removed > 0);
const ms = Math.round(performance.now() - started);
if (!process.argv.includes('--quiet') || written + removed > 0) {
  process.stdout.write(
    `build: ${files} files in ${relative(root, dist)}/ (${written} written, ${removed} removed)` +
      `${manifest ? ', oclif.manifest.json written' : ''} in ${ms} ms\n`,
  );
}
