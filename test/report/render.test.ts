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
    expect(md).toContain('| enricher | RUNNING | FLINK-1_20 | 7 | 18 (1 periods missing)');
    expect(md).toContain('| rollback | healed |');
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
