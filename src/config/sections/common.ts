import { z } from 'zod';

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
