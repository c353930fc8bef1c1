/**
 * The one copy of oclif the compiled CLI uses. `npm run build` bundles @oclif/core into dist/, so
 * bin/run.js must take `execute` from here (dist/cli/oclif.js): the commands' base classes and
 * flags come from the same bundle. bin/dev.js and the tests use @oclif/core from node_modules.
 */
export { Config, execute, Plugin, settings } from '@oclif/core';
