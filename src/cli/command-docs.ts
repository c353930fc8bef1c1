import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface FlagLike {
  description?: string;
  char?: string;
  default?: unknown;
  options?: readonly string[];
  required?: boolean;
  hidden?: boolean;
  type?: string;
}

/**
 * docs/commands.md, generated from the command classes themselves (description, examples, args,
 * flags) so the reference never drifts from `--help`.
 */
export async function commandReferenceMarkdown(): Promise<string> {
  const root = fileURLToPath(new URL('../commands', import.meta.url));
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.ts')) files.push(p);
    }
  };
  walk(root);
  const sections: string[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(f).href)) as { default?: Record<string, unknown> };
    const C = mod.default as
      | {
          hidden?: boolean;
          description?: string;
          examples?: string[];
          args?: Record<string, FlagLike>;
          flags?: Record<string, FlagLike>;
        }
      | undefined;
    if (!C || C.hidden) continue;
    const id = relative(root, f)
      .replace(/\.ts$/, '')
      .replace(/\/index$/, '')
      .split('/')
      .join(' ');
    const lines = [`## streamctl ${id}`, '', (C.description ?? '').trim(), ''];
    const args = Object.entries(C.args ?? {});
    if (args.length) {
      lines.push('Arguments:', '');
      for (const [n, a] of args)
        lines.push(`- \`${n.toUpperCase()}\`${a.required ? ' (required)' : ''} — ${a.description ?? ''}`);
      lines.push('');
    }
    const flags = Object.entries(C.flags ?? {}).filter(([, f]) => !f.hidden);
    if (flags.length) {
      lines.push('Flags:', '');
      for (const [n, f] of flags) {
        const opts = f.options ? ` (${f.options.join(' | ')})` : '';
        const def =
          f.default !== undefined && typeof f.default !== 'function'
            ? ` [default: ${String(f.default)}]`
            : '';
        lines.push(
          `- \`${f.char ? `-${f.char}, ` : ''}--${n}\`${f.required ? ' (required)' : ''}${opts}${def} — ${f.description ?? ''}`,
        );
      }
      lines.push('');
    }
    if (C.examples?.length) {
      lines.push(
        'Examples:',
        '',
        '```sh',
        ...C.examples.map((e) => e.replace(/<%= config.bin %>/g, 'streamctl')),
        '```',
        '',
      );
    }
    sections.push(lines.join('\n'));
  }
  return [
    '# Command reference',
    '',
    '<!-- Generated from src/commands by `npm run docs:commands`; do not edit by hand. -->',
    '',
    'Every command also takes `--json` (machine-readable output), `--config FILE`, `--debug` and',
    '`--max-input-size SIZE` (input files above 16 MiB, or 4 GiB for snapshots and plans, are refused).',
    'Health and monitor commands exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; failures of the tool exit',
    '64 usage, 65 bad input, 69 unavailable, 73 cannot write an output, 75 temporary failure/timeout,',
    '77 permission denied, 78 configuration.',
    '',
    ...sections,
  ].join('\n');
}
