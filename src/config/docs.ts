import { z } from 'zod';
import { ConfigSchema } from './schema.js';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
}

/**
 * The configuration reference (docs/config.md), generated from the zod schema so that every key
 * is declared exactly once — in src/config/sections — with its default and description.
 */
export function configReferenceMarkdown(): string {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const rows: string[] = [];
  walk(schema, '', rows);
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/sections by `npm run docs:config`; do not edit by hand. -->',
    '',
    'streamctl reads `streamctl.yaml` from `--config`, `$STREAMCTL_CONFIG`, `./streamctl.yaml` or',
    '`~/.config/streamctl/streamctl.yaml`. `streamctl config init` writes a commented example;',
    '`streamctl config validate` names the file, line, key and expectation of every problem (exit 78).',
    'Secrets are never written inline: use `{ env: VAR }` or `{ file: PATH }`.',
    '',
    '| Key | Type | Default | Description |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function walk(s: JsonSchema, path: string, rows: string[]): void {
  if (path)
    rows.push(
      `| \`${path}\` | ${typeOf(s)} | ${s.default === undefined ? '' : `\`${JSON.stringify(s.default)}\``} | ${(s.description ?? '').replace(/\|/g, '\\|')} |`,
    );
  if (s.properties) {
    for (const [k, v] of Object.entries(s.properties)) walk(v, path ? `${path}.${k}` : k, rows);
  }
  if (s.items) walk(s.items, `${path}[]`, rows);
  for (const alt of s.anyOf ?? s.oneOf ?? []) {
    if (alt.properties)
      for (const [k, v] of Object.entries(alt.properties)) {
        if (k === 'type' && v.const !== undefined) continue;
        const label =
          alt.properties.type?.const === undefined ? '' : ` (type: ${String(alt.properties.type.const)})`;
        walk({ ...v, description: `${v.description ?? ''}${label}` }, `${path}.${k}`, rows);
      }
  }
}

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((e) => `\`${JSON.stringify(e)}\``).join(' \\| ');
  const alts = s.anyOf ?? s.oneOf;
  if (alts) {
    const types = alts.map((a) =>
      a.properties?.type?.const !== undefined
        ? `{type: ${String(a.properties.type.const)}}`
        : a.properties
          ? `{${Object.keys(a.properties).join(', ')}}`
          : typeOf(a),
    );
    return [...new Set(types)].join(' \\| ');
  }
  const t = Array.isArray(s.type) ? s.type.join('/') : (s.type ?? 'any');
  if (t === 'array') return `${s.items ? typeOf(s.items) : 'any'}[]`;
  if (s.format === 'uri') return 'URL';
  return t;
}
