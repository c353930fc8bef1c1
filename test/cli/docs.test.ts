import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandReferenceMarkdown } from '../../src/cli/command-docs.js';

describe('docs/commands.md', () => {
  it('is generated from the command classes (run `npm run docs:commands`)', async () => {
    expect(readFileSync(new URL('../../docs/commands.md', import.meta.url), 'utf8')).toBe(
      await commandReferenceMarkdown(),
    );
  });

  it('documents every command with a description', async () => {
    const md = await commandReferenceMarkdown();
    const sections = md.split('\n## ').slice(1);
    expect(sections.length).toBeGreaterThan(40);
    for (const s of sections) expect(s.split('\n')[2]?.trim(), s.split('\n')[0]).not.toBe('');
  });
});
