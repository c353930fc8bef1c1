#!/usr/bin/env node
// Development entry point: like run.js, with oclif's development mode (more verbose errors).
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { execute } = await import('@oclif/core');
await execute({ development: false, dir: import.meta.url });
