#!/usr/bin/env node
// Development entry point: like run.js, with oclif's development mode (more verbose errors).
import { register } from 'tsx/esm/api';

register();
const { execute } = await import('@oclif/core');
await execute({ development: false, dir: import.meta.url });
