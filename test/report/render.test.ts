import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/render-html.js';
import { renderMarkdown } from '../../src/report/render-md.js';
import { fixtureReport } from './fixture.js';

describe('report renderers', () => {
  const report = fixtureReport();

  it('Markdown lists findings worst first, the clusters, the applications and the healer', () => {
    const md = renderMarkdown(report);
    expect(md).toMatch(/^# streamctl health report — CRITICAL/);
    const findingRows = md.split('\n').filter((l) => /^\| (CRITICAL|WARNING|UNKNOWN) \|/.test(l));
    expect(findingRows[0]).toMatch(/^\| CRITICAL \| flink\/enricher/);
    expect(md).toContain('### orders');
    expect(md).toContain(
      '| enricher | RUNNING | FLINK-1_20 | 7 | 18 restart(s) in the window; 1 period(s) without a datapoint (unknown) |',
    );
    expect(md).toContain('| rollback | healed |');
  });

  it('lists an open healer incident among the findings: a CRITICAL report never says "everything is OK"', () => {
    // Arrange: every target healthy, one incident still open.
    const healthy = fixtureReport();
    healthy.kafka = [];
    healthy.flink = [];
    healthy.severity = 'CRITICAL';
    healthy.healer.openIncidents = [
      {
        app: 'enricher',
        openedAt: '2026-11-22T00:05:00Z',
        summary: 'restart-loop (user, npe-in-user-function)',
        severity: 'CRITICAL',
      },
    ];

    // Act
    const md = renderMarkdown(healthy);
    const html = renderHtml(healthy);

    // Assert
    expect(md).not.toContain('everything is OK');
    expect(md).toMatch(/^\| CRITICAL \| healer\/enricher \| .*restart-loop \(user, npe-in-user-function\)/m);
    expect(html).toContain('healer/enricher');
  });

  it('HTML is self-contained: inline SVG charts, no scripts, no external references', () => {
    const html = renderHtml(report);
    expect(html).toContain('<svg id="disk-orders"');
    expect(html).toContain('<svg id="partitions-orders"');
    expect(html).toContain('<svg id="restarts-enricher"');
    expect(html).not.toMatch(/<script|<link |src="http|href="http|url\(/i);
    expect(html).toContain('sessionizer &lt;b&gt;');
  });
});
