import type { Hook } from '@oclif/core';
import { Sysexit } from '../core/exit-codes.js';
import { redactString } from '../core/redact.js';

/**
 * oclif's `command_not_found` hook. Without it an unknown command, or an extra argument after a
 * command that takes none (`config validate extra`, which oclif reads as the command
 * `config:validate:extra`), exits 2 with "command … not found". The contract is sysexits: a
 * usage mistake is 64 (README, docs/commands.md), said in streamctl's own error format.
 */
const hook: Hook<'command_not_found'> = async function (opts) {
  const parts = opts.id.split(':');
  let known: string | undefined;
  for (let n = parts.length - 1; n > 0 && !known; n--) {
    const prefix = parts.slice(0, n).join(':');
    if (opts.config.findCommand(prefix)) known = prefix;
  }
  const words = (id: string) => id.split(':').join(' ');
  const message = known
    ? `${words(known)}: unexpected argument "${parts.slice(known.split(':').length).join(' ')}"`
    : `unknown command "${words(opts.id)}"`;
  const hint = known
    ? `See \`streamctl ${words(known)} --help\` for its arguments and flags.`
    : 'See `streamctl --help` for the commands.';
  if (opts.argv?.includes('--json')) {
    const error = { code: 'USAGE', message, hint, transient: false, exitCode: Sysexit.USAGE };
    process.stdout.write(`${redactString(JSON.stringify({ error }, null, 2))}\n`);
  } else process.stderr.write(redactString(`Error: ${message}\nHint: ${hint}\n`));
  this.exit(Sysexit.USAGE);
};

export default hook;
