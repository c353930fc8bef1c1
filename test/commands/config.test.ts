import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('config validate', () => {
  it('explains a bad value without printing a credential the value carries (exit 78)', async () => {
    // Arrange: a REST URL with a password in it, mistyped so that it is not a valid URL.
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-config-'));
    const file = join(dir, 'streamctl.yaml');
    writeFileSync(
      file,
      [
        'flink:',
        '  applications:',
        '    - name: jobs',
        '      rest: { url: "http//admin:hunter2-secret@jm:8081/?authToken=tok-secret-1" }',
      ].join('\n'),
    );

    // Act
    const r = await runCli(['config', 'validate', '--config', file]);

    // Assert
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(`${file}:4:`);
    expect(r.stderr).toContain('flink.applications[0].rest.url');
    expect(`${r.stdout}${r.stderr}`).not.toContain('tok-secret-1');
    expect(`${r.stdout}${r.stderr}`).not.toContain('hunter2-secret');
  });
});
