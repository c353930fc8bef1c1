import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * An AWS SDK v3 package that loads on first use instead of at import time: each client costs tens
 * of milliseconds to load, and most commands (offline ones, Kafka ones, `--help`) never call AWS.
 * `const msf = lazySdk<typeof Msf>('@aws-sdk/client-kinesis-analytics-v2')`, then
 * `new msf.DescribeApplicationCommand(…)` loads the package at that first property read.
 *
 * `require` is synchronous, so the client factory stays synchronous. The SDK packages are
 * CommonJS without an `exports` map (dist-cjs is their `main`), so this is the very module an
 * `import` would give: the same classes for aws-sdk-client-mock and the middleware stack.
 */
export function lazySdk<T extends object>(id: string): T {
  let mod: T | undefined;
  const load = (): T => {
    mod ??= require(id) as T;
    return mod;
  };
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(load(), key),
    has: (_, key) => Reflect.has(load(), key),
  });
}
