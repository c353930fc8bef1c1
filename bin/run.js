#!/usr/bin/env node
// streamctl entry point: runs the compiled dist/ (`npm run build`), with the command list, flags and
// help read from oclif.manifest.json, so a start imports oclif and the one command that runs.
import { execute, settings } from '@oclif/core';

// streamctl pins the last AWS SDK releases that support Node 20 (README): the SDK's notice that
// future releases will need Node 22 is known and would only clutter every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Under NODE_ENV=test or development oclif would map dist/ back to src/ and transpile it through
// tsx when tsx is installed: this entry point always runs what was built (bin/dev.js runs src/).
settings.enableAutoTranspile = false;
await execute({ dir: import.meta.url });
