#!/usr/bin/env node
// streamctl entry point. The CLI runs its TypeScript sources through tsx (a runtime dependency),
// so there is no build step to forget: `npm ci` is all an install needs.
import { register } from 'tsx/esm/api';

register();
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
