#!/usr/bin/env node
// streamctl entry point. The CLI runs its TypeScript sources through tsx (a runtime dependency),
// so there is no build step to forget: `npm ci` is all an install needs.
import { register } from 'tsx/esm/api';

// streamctl pins the last AWS SDK releases that support Node 20 (README): the SDK's notice that
// future releases will need Node 22 is known and would only clutter every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
