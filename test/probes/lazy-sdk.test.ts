import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as SnsSdk from '@aws-sdk/client-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { lazySdk } from '../../src/probes/lazy-sdk.js';

/** A CommonJS module that counts how many times it was loaded, on globalThis. */
const dir = mkdtempSync(join(tmpdir(), 'lazy-sdk-'));
const counted = join(dir, 'counted.cjs');
writeFileSync(
  counted,
  'globalThis.__lazySdkLoads = (globalThis.__lazySdkLoads ?? 0) + 1;\n' +
    'class Thing { constructor(x) { this.x = x; } }\nmodule.exports = { Thing, answer: 42 };\n',
);
const loads = () => (globalThis as { __lazySdkLoads?: number }).__lazySdkLoads ?? 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lazySdk', () => {
  it('loads the package at the first property read, once', () => {
    const mod = lazySdk<{ Thing: new (x: number) => { x: number }; answer: number }>(counted);
    expect(loads()).toBe(0);

    const thing = new mod.Thing(7);

    expect(loads()).toBe(1);
    expect(thing.x).toBe(7);
    expect(mod.answer).toBe(42);
    expect('Thing' in mod).toBe(true);
    expect(loads()).toBe(1);
  });

  it('gives the very classes an import gives (what aws-sdk-client-mock and instanceof rely on)', async () => {
    const lazy = lazySdk<typeof SnsSdk>('@aws-sdk/client-sns');
    const imported = await import('@aws-sdk/client-sns');

    expect(lazy.PublishCommand).toBe(imported.PublishCommand);
    expect(new lazy.PublishCommand({ Message: 'm' })).toBeInstanceOf(imported.PublishCommand);
  });
});
