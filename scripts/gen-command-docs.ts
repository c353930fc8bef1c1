// Regenerates docs/commands.md from the command classes (npm run docs:commands).
import { writeFileSync } from 'node:fs';
import { commandReferenceMarkdown } from '../src/cli/command-docs.js';

writeFileSync(new URL('../docs/commands.md', import.meta.url), await commandReferenceMarkdown());
console.log('wrote docs/commands.md');
