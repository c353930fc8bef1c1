// Regenerates docs/config.md from the zod schema (npm run docs:config).
import { writeFileSync } from 'node:fs';
import { configReferenceMarkdown } from '../src/config/docs.js';

writeFileSync(new URL('../docs/config.md', import.meta.url), configReferenceMarkdown());
console.log('wrote docs/config.md');
