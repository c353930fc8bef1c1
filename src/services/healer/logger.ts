/**
 * The daemon's JSON logs (pino, one object per line on stdout). Secrets never reach them: pino's
 * `redact` masks secret-named keys at any depth we log, and a formatter runs every logged object
 * through src/core/redact.ts (registered secrets such as presigned URLs, authToken=…, webhook URLs,
 * Bearer tokens in any string), and the message itself is redacted by a logMethod hook.
 */
import { type DestinationStream, type Logger, pino } from 'pino';
import { redact, redactString } from '../../core/redact.js';

const SECRET_PATHS = [
  'password',
  'secret',
  'token',
  'authToken',
  'authorizedUrl',
  'AuthorizedUrl',
  'url',
  'webhook',
  'routingKey',
  'authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.authToken',
  '*.authorizedUrl',
  '*.AuthorizedUrl',
  '*.webhook',
  '*.routingKey',
  '*.authorization',
];

export type DaemonLogger = Logger;

/** A pino logger for the daemon; `destination` for tests (default stdout, synchronous writes). */
export function createDaemonLogger(level: string, destination?: DestinationStream): DaemonLogger {
  return pino(
    {
      level,
      base: { service: 'streamctl-healer', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: SECRET_PATHS, censor: '[REDACTED]' },
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => redact(obj),
      },
      hooks: {
        logMethod(args, method) {
          const safe = args.map((a) => (typeof a === 'string' ? redactString(a) : a)) as Parameters<
            typeof method
          >;
          method.apply(this, safe);
        },
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
