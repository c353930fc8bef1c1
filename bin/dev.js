#!/usr/bin/env node
// Development entry point: runs the TypeScript sources directly through tsx.
import { register } from 'tsx/esm/api';

register();
const { execute } = await import('@oclif/core');
await execute({ development: true, dir: import.meta.url });
