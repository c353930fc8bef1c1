/**
 * A command's start, for bench/startup.bench.ts: what bin/run.js does before the command's run()
 * (load the bundled oclif, read the manifest, find the command, import its module graph), then
 * exit. `node bench/startup-probe.mjs "kafka disk"`. Plain JavaScript: nothing is transpiled.
 */
const { Config, settings } = await import(new URL('../dist/cli/oclif.js', import.meta.url).href);

settings.enableAutoTranspile = false;
const id = process.argv[2]?.split(' ').join(':');
const config = await Config.load(new URL('..', import.meta.url).pathname);
const command = id ? config.findCommand(id) : undefined;
if (!command) {
  process.stderr.write(`startup-probe: no command ${process.argv[2]}\n`);
  process.exit(64);
}
await command.load();
