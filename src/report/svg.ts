/**
 * Tiny inline-SVG chart builders for the HTML report: no scripts, no external assets, readable
 * without JavaScript and printable. Every chart has a <title> and text labels for accessibility.
 */
export function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const COLOURS = {
  OK: '#2e7d32',
  WARNING: '#f9a825',
  CRITICAL: '#c62828',
  UNKNOWN: '#6a1b9a',
  projection: '#90a4ae',
  grid: '#cfd8dc',
  text: '#263238',
};

export interface Bar {
  label: string;
  /** Current value. */
  value: number | undefined;
  /** A projected value drawn as a lighter extension (e.g. disk in 7 days). */
  projected?: number;
  colour: keyof typeof COLOURS;
  note?: string;
}

/**
 * Horizontal bars on a fixed scale with reference lines (thresholds or limits).
 * `id` becomes the element id (the browser test looks charts up by it).
 */
export function barChart(opts: {
  id: string;
  title: string;
  bars: Bar[];
  max: number;
  unit: string;
  lines: Array<{ at: number; label: string }>;
}): string {
  const rowH = 22;
  const left = 90;
  const width = 560;
  const plotW = width - left - 110;
  const height = opts.bars.length * rowH + 40;
  const x = (v: number) => left + (Math.max(0, Math.min(v, opts.max)) / opts.max) * plotW;
  const parts: string[] = [];
  parts.push(
    `<figure><figcaption>${esc(opts.title)}</figcaption><svg id="${esc(opts.id)}" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
  );
  parts.push(`<title>${esc(opts.title)}</title>`);
  opts.bars.forEach((b, i) => {
    const y = 20 + i * rowH;
    parts.push(
      `<text x="${left - 6}" y="${y + 14}" text-anchor="end" font-size="12" fill="${COLOURS.text}">${esc(b.label)}</text>`,
    );
    if (b.projected !== undefined && b.value !== undefined && b.projected > b.value) {
      parts.push(
        `<rect x="${x(0)}" y="${y + 3}" width="${(x(b.projected) - x(0)).toFixed(1)}" height="${rowH - 8}" fill="${COLOURS.projection}" opacity="0.45"><title>${esc(`${b.label}: projected ${b.projected.toFixed(1)}${opts.unit}`)}</title></rect>`,
      );
    }
    if (b.value === undefined) {
      parts.push(
        `<text x="${x(0) + 4}" y="${y + 14}" font-size="12" fill="${COLOURS.UNKNOWN}">unknown</text>`,
      );
    } else {
      parts.push(
        `<rect class="bar" x="${x(0)}" y="${y + 3}" width="${Math.max(1, x(b.value) - x(0)).toFixed(1)}" height="${rowH - 8}" fill="${COLOURS[b.colour]}"><title>${esc(`${b.label}: ${b.value.toFixed(1)}${opts.unit}`)}</title></rect>`,
      );
      parts.push(
        `<text x="${x(Math.max(b.value, b.projected ?? 0)) + 4}" y="${y + 14}" font-size="11" fill="${COLOURS.text}">${esc(`${formatNum(b.value)}${opts.unit}${b.note ? ` · ${b.note}` : ''}`)}</text>`,
      );
    }
  });
  for (const l of opts.lines) {
    const lx = x(l.at).toFixed(1);
    parts.push(
      `<line x1="${lx}" y1="14" x2="${lx}" y2="${height - 18}" stroke="${COLOURS.grid}" stroke-dasharray="4 3" stroke-width="1.5"/>`,
    );
    parts.push(
      `<text x="${lx}" y="${height - 4}" text-anchor="middle" font-size="11" fill="${COLOURS.text}">${esc(l.label)}</text>`,
    );
  }
  parts.push('</svg></figure>');
  return parts.join('');
}

/**
 * Column chart of a per-period series (e.g. restarts per minute). Missing datapoints are gaps with
 * a `?`; the run of periods before the first datapoint is one "no data" band (the job did not exist
 * yet), not a row of `?` marks. With `history`, columns before `history.from` are the episode's
 * past (drawn grey, not red) and a line marks the moment it ended, e.g. "healed 18:35".
 */
export function columnChart(opts: {
  id: string;
  title: string;
  points: Array<{ t: number; value: number | undefined }>;
  unit: string;
  periodMs?: number;
  history?: { from: number; at: number; label: string };
}): string {
  const width = 560;
  const height = 120;
  const pad = 24;
  const n = Math.max(1, opts.points.length);
  const max = Math.max(1, ...opts.points.map((p) => p.value ?? 0));
  const colW = (width - 2 * pad) / n;
  const parts = [
    `<figure><figcaption>${esc(opts.title)}</figcaption><svg id="${esc(opts.id)}" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${esc(opts.title)}</title>`,
  ];
  parts.push(
    `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="${COLOURS.grid}"/>`,
  );
  const firstData = opts.points.findIndex((p) => p.value !== undefined);
  const leading = firstData < 0 ? opts.points.length : firstData;
  if (leading > 0) {
    const w = leading * colW;
    parts.push(
      `<rect class="no-data" x="${pad}" y="${pad}" width="${w.toFixed(1)}" height="${height - 2 * pad}" fill="${COLOURS.grid}" opacity="0.35"><title>no data</title></rect>`,
    );
    if (w >= 40)
      parts.push(
        `<text x="${(pad + w / 2).toFixed(1)}" y="${height / 2 + 4}" text-anchor="middle" font-size="10" fill="${COLOURS.text}">no data</text>`,
      );
  }
  opts.points.forEach((p, i) => {
    if (i < leading) return;
    const cx = pad + i * colW;
    if (p.value === undefined) {
      parts.push(
        `<text x="${(cx + colW / 2).toFixed(1)}" y="${height - pad - 2}" text-anchor="middle" font-size="9" fill="${COLOURS.UNKNOWN}">?</text>`,
      );
      return;
    }
    const h = (p.value / max) * (height - 2 * pad);
    const past = opts.history && p.t < opts.history.from;
    const colour = past
      ? COLOURS.projection
      : p.value >= 3
        ? COLOURS.CRITICAL
        : p.value > 0
          ? COLOURS.WARNING
          : COLOURS.OK;
    parts.push(
      `<rect class="col${past ? ' history' : ''}" x="${(cx + 1).toFixed(1)}" y="${(height - pad - h).toFixed(1)}" width="${Math.max(1, colW - 2).toFixed(1)}" height="${Math.max(p.value > 0 ? 1 : 0, h).toFixed(1)}" fill="${colour}"><title>${esc(`${new Date(p.t).toISOString()}: ${p.value}${opts.unit}${past ? ' (before it ended)' : ''}`)}</title></rect>`,
    );
  });
  if (opts.history && opts.points.length) {
    const t0 = opts.points[0]!.t;
    const period = opts.periodMs ?? (opts.points[1] ? opts.points[1].t - t0 : 60_000);
    const x = Math.min(width - pad, Math.max(pad, pad + ((opts.history.at - t0) / period) * colW));
    parts.push(
      `<line class="marker" x1="${x.toFixed(1)}" y1="${pad - 8}" x2="${x.toFixed(1)}" y2="${height - pad}" stroke="${COLOURS.OK}" stroke-width="1.5"/>`,
      `<text x="${Math.min(x + 3, width - pad - 60).toFixed(1)}" y="${pad - 10}" font-size="10" fill="${COLOURS.OK}">${esc(opts.history.label)}</text>`,
    );
  }
  const any = opts.points.some((p) => (p.value ?? 0) > 0);
  const caption =
    leading === opts.points.length
      ? 'no data in the window'
      : any
        ? `max ${max}${opts.unit} per period`
        : `no${opts.unit} in the window`;
  parts.push(`<text x="${pad}" y="12" font-size="11" fill="${COLOURS.text}">${esc(caption)}</text>`);
  parts.push('</svg></figure>');
  return parts.join('');
}

function formatNum(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
