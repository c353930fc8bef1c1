#!/usr/bin/env node
// streamctl entry point: runs the compiled dist/ (`npm run build`), with the command list, flags and
// help read from oclif.manifest.json, so a start loads oclif and the one command that runs.

// streamctl pins the last AWS SDK releases that support Node 20 (README): the SDK's notice that
// future releases will need Node 22 is known and would only clutter every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const bundle = new URL('../dist/cli/oclif.js', import.meta.url);
let oclif;
try {
  // The oclif bundled with the commands (src/cli/oclif.ts), not node_modules' copy.
  oclif = await import(bundle.href);
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes(bundle.pathname)) throw e;
  process.stderr.write('streamctl: dist/ is not built. Run `npm run build` in the checkout first.\n');
  process.exit(70);
}
// Under NODE_ENV=test or development oclif would map dist/ back to src/ and transpile it through
// tsx when tsx is installed: this entry point always runs what was built (bin/dev.js runs src/).
oclif.settings.enableAutoTranspile = false;
await oclif.execute({ dir: import.meta.url });
