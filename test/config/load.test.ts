import { describe, expect, it } from 'vitest';
import { ConfigValidationError, parseConfigText } from '../../src/config/load.js';

describe('parseConfigText', () => {
  it('applies defaults to an empty file', () => {
    const cfg = parseConfigText('', 'streamctl.yaml');
    expect(cfg.healer.mode).toBe('dry-run');
    expect(cfg.kafka.clusters).toEqual([]);
  });

  it('names the file, line, key and expectation of a bad value', () => {
    const text = [
      'kafka:',
      '  clusters:',
      '    - name: orders',
      '      diskWarnPercent: lots',
      '      bootstrap: ["127.0.0.1:9092"]',
    ].join('\n');
    try {
      parseConfigText(text, 'cfg.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigValidationError);
      const issue = (e as ConfigValidationError).issues[0]!;
      expect(issue).toMatchObject({
        file: 'cfg.yaml',
        line: 4,
        key: 'kafka.clusters[0].diskWarnPercent',
        message: 'expected number',
      });
      expect((e as Error).message).toBe('cfg.yaml:4:7: kafka.clusters[0].diskWarnPercent: expected number');
    }
  });

  it.each([
    [
      'an unclosed flow sequence (reported where the input ends)',
      ['healer:', '  mode: dry-run', 'kafka: [', 'x: 1'].join('\n'),
      4,
    ],
    ['a duplicate key', ['healer:', '  mode: dry-run', '  mode: live'].join('\n'), 3],
    ['a tab indentation', ['healer:', '\tmode: dry-run'].join('\n'), 2],
  ])('locates a YAML syntax error (%s) by line', (_name, text, line) => {
    try {
      parseConfigText(text, 'cfg.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigValidationError);
      const issue = (e as ConfigValidationError).issues[0]!;
      expect(issue).toMatchObject({ file: 'cfg.yaml', line });
      expect(issue.message).toMatch(/^YAML syntax: /);
      expect((e as Error).message).toMatch(new RegExp(`^cfg\\.yaml:${line}:\\d+: `));
    }
  });

  it('rejects inline secrets and unknown keys', () => {
    const text = [
      'kafka:',
      '  clusters:',
      '    - name: c',
      '      bootstrap: ["127.0.0.1:9092"]',
      '      auth: { type: scram, username: admin, password: hunter2 }',
      'colour: blue',
    ].join('\n');
    const err = (() => {
      try {
        parseConfigText(text, 'x.yaml');
      } catch (e) {
        return e as ConfigValidationError;
      }
    })();
    expect(err?.issues.map((i) => i.key)).toEqual(
      expect.arrayContaining(['kafka.clusters[0].auth.password', '']),
    );
    expect(err?.message).not.toContain('hunter2');
  });
});
