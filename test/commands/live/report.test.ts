import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateApplicationCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import type { KafkaPeerInfo } from '../../peers/kinds/kafka.js';
import { usePeer } from '../../peers/use.js';
import { createInput, startFakeEmulator } from '../../sandbox/aws-emulator/helpers.js';

/** `streamctl report` on the test bed: a real Kafka cluster and an emulated MSF application. */
describe('report on the test bed', () => {
  let env: Awaited<ReturnType<typeof startFakeEmulator>>;
  let dir: string;
  let cfg: string;

  beforeAll(async () => {
    const kafka = await usePeer<KafkaPeerInfo>('kafka', { version: '3.9', brokers: 3, scram: true });
    env = await startFakeEmulator();
    await env.clients.msf.send(new CreateApplicationCommand(createInput('enricher', { snapshots: false })));
    dir = mkdtempSync(join(tmpdir(), 'streamctl-report-'));
    cfg = join(dir, 'streamctl.yaml');
    writeFileSync(
      cfg,
      [
        'aws:',
        '  region: us-east-1',
        `  endpoints: { kinesisanalyticsv2: "${env.emu.endpoint}", cloudwatch: "${env.emu.endpoint}", logs: "${env.emu.endpoint}" }`,
        'kafka:',
        `  clusters: [ { name: local, bootstrap: [${kafka.bootstrap
          .split(',')
          .map((b) => `"${b}"`)
          .join(', ')}] } ]`,
        'flink:',
        '  applications: [ { name: enricher, managed: { applicationName: enricher } } ]',
        `healer: { journal: "${join(dir, 'journal.db')}" }`,
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await env?.emu.stop();
  });

  it('json: every target with its findings; exit code = the worst finding', async () => {
    const r = await runCli(['report', '--format', 'json', '--since', '1h', '--config', cfg]);
    const rep = JSON.parse(r.stdout);
    expect(rep.kafka[0].cluster).toBe('local');
    expect(rep.kafka[0].disk.brokers).toHaveLength(3);
    expect(rep.flink[0]).toMatchObject({ name: 'enricher', status: 'READY' });
    // Snapshots disabled is a CRITICAL audit finding.
    expect(rep.flink[0].findings.map((f: { code: string }) => f.code)).toContain('audit.snapshots-disabled');
    expect(rep.severity).toBe('CRITICAL');
    expect(r.code).toBe(2);
  });

  it('html: one self-contained file that opens cleanly in headless Chromium', async () => {
    const out = join(dir, 'report.html');
    const r = await runCli(['report', '--format', 'html', '--out', out, '--config', cfg]);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(true);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script|src="http/);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${out}`);
      expect(await page.textContent('#overall')).toBe('CRITICAL');
      expect(await page.locator('#disk-local rect.bar').count()).toBe(3);
      expect(await page.locator('#restarts-enricher').count()).toBe(1);
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
