import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReferenceMarkdown } from '../../src/config/docs.js';
import { EXAMPLE_CONFIG } from '../../src/config/example.js';
import { parseConfigText } from '../../src/config/load.js';

describe('configuration is declared once, with descriptions', () => {
  it('docs/config.md is generated from the schema (run `npm run docs:config`)', () => {
    expect(readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8')).toBe(
      configReferenceMarkdown(),
    );
  });

  it('every named key has a description', () => {
    const missing = configReferenceMarkdown()
      .split('\n')
      .filter((l) => l.startsWith('| `') && !/\[\]` \|/.test(l))
      .filter((l) => l.trimEnd().endsWith('|  |'));
    expect(missing).toEqual([]);
  });

  it('the example written by `config init` validates', () => {
    expect(parseConfigText(EXAMPLE_CONFIG, 'example').kafka.clusters).toHaveLength(2);
  });
});
