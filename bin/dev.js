#!/usr/bin/env node
// Development entry point: runs the TypeScript sources through tsx (a dev dependency), no build
// needed. Same commands as bin/run.js, read from src/ instead of dist/.
import { readFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { execute, Plugin } = await import('@oclif/core');
const root = new URL('..', import.meta.url).pathname;
// The commands, hooks, flags and help must come from src/, not from oclif.manifest.json (which
// describes the last build) nor dist/. oclif has no switch for either, so the root plugin is
// loaded here with the sources' directories and without the manifest.
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
pjson.oclif.commands = './src/commands';
const toSrc = (p) => p.replace(/^\.\/dist\//, './src/');
for (const [event, hook] of Object.entries(pjson.oclif.hooks ?? {})) {
  pjson.oclif.hooks[event] = Array.isArray(hook) ? hook.map(toSrc) : toSrc(hook);
}
const cli = new Plugin({ root, pjson, isRoot: true, type: 'core', ignoreManifest: true });
const help = new Plugin({ name: '@oclif/plugin-help', root, type: 'core' });
await Promise.all([cli.load(), help.load()]);
const plugins = new Map([
  [cli.name, cli],
  [help.name, help],
]);
await execute({ loadOptions: { root, plugins } });
