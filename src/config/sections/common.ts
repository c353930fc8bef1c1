import { z } from 'zod';
import { parseDuration } from '../../core/clock.js';

/**
 * A reference to a secret. Secrets are never written inline in streamctl.yaml: they come from an
 * environment variable or a file, and are registered for redaction as soon as they are read.
 */
export const SecretRef = z
  .union([
    z.strictObject({
      env: z.string().min(1).describe('Name of the environment variable that holds the secret.'),
    }),
    z.strictObject({
      file: z.string().min(1).describe('Path of a file that holds the secret (trailing newline ignored).'),
    }),
  ])
  .describe('A secret: { env: VAR } or { file: PATH }. Inline secrets are not accepted.');
export type SecretRef = z.infer<typeof SecretRef>;

/** A duration such as `90s`, `5m`, `1h`. */
export const Duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'a duration such as 90s, 5m, 1h or 2d');

/**
 * A duration with a floor. An interval of 0 made the daemon busy-loop at 99% CPU, sending about
 * 827 requests a second to the Flink REST API it watches: the healer attacking its own target.
 */
export function DurationAtLeast(min: string) {
  const minMs = parseDuration(min) ?? 0;
  return Duration.refine((s) => (parseDuration(s) ?? 0) >= minMs, `expected a duration of at least ${min}`);
}

/** An IANA time zone that this Node.js knows (Intl refuses the others with a RangeError). */
export const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as UTC or Europe/Paris');
