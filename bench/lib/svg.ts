/**
 * A small SVG chart writer: log or linear line charts and panels of bars. Plain strings, no
 * dependencies; fonts and colours are set inline so the files render the same on GitHub.
 */
const PALETTE = ['#d1495b', '#00798c', '#edae49', '#30638e', '#66a182', '#8d5a97'];
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

const escape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${FONT} ${attrs}>${escape(s)}</text>`;

/** 1, 10, 100, 1k, 10k, 1M, 0.1 … */
export function compactNumber(x: number): string {
  const abs = Math.abs(x);
  const trim = (v: number) => String(Number(v.toPrecision(3)));
  if (abs >= 1e9) return `${trim(x / 1e9)}G`;
  if (abs >= 1e6) return `${trim(x / 1e6)}M`;
  if (abs >= 1e3) return `${trim(x / 1e3)}k`;
  return trim(x);
}

interface Scale {
  map(v: number): number;
  ticks: number[];
}

function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

function scale(values: number[], log: boolean, from: number, to: number, includeZero: boolean): Scale {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (log) {
    const lo = Math.floor(Math.log10(Math.min(...finite)));
    let hi = Math.ceil(Math.log10(Math.max(...finite)));
    if (hi === lo) hi = lo + 1;
    const ticks: number[] = [];
    for (let k = lo; k <= hi; k++) ticks.push(10 ** k);
    return { map: (v) => from + ((Math.log10(v) - lo) / (hi - lo)) * (to - from), ticks };
  }
  const min = includeZero ? Math.min(0, ...finite) : Math.min(...finite);
  const maxRaw = Math.max(...finite);
  const step = niceStep(maxRaw - min || 1, 5);
  const max = Math.ceil(maxRaw / step) * step || step;
  const ticks: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { map: (v) => from + ((v - min) / (max - min)) * (to - from), ticks };
}

export interface Series {
  name: string;
  points: [number, number][];
  /** Dashed line, hollow points: e.g. extrapolated or published figures. */
  dashed?: boolean;
  color?: string;
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  series: Series[];
  width?: number;
  height?: number;
}

export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 760;
  const height = spec.height ?? 460;
  const m = { left: 80, right: 24, top: 56, bottom: 64 };
  const all = spec.series.flatMap((s) => s.points);
  const x = scale(all.map((p) => p[0]), spec.xLog ?? false, m.left, width - m.right, false);
  const y = scale(all.map((p) => p[1]), spec.yLog ?? false, height - m.bottom, m.top, true);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(text(width / 2, 28, spec.title, 'font-size="17" font-weight="bold" text-anchor="middle"'));
  for (const t of x.ticks) {
    const px = x.map(t);
    out.push(`<line x1="${px.toFixed(1)}" y1="${m.top}" x2="${px.toFixed(1)}" y2="${height - m.bottom}" stroke="#e5e5e5"/>`);
    out.push(text(px, height - m.bottom + 18, compactNumber(t), 'font-size="12" text-anchor="middle" fill="#444"'));
  }
  for (const t of y.ticks) {
    const py = y.map(t);
    out.push(`<line x1="${m.left}" y1="${py.toFixed(1)}" x2="${width - m.right}" y2="${py.toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(text(m.left - 8, py + 4, compactNumber(t), 'font-size="12" text-anchor="end" fill="#444"'));
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#999"/>`);
  out.push(text((m.left + width - m.right) / 2, height - 18, spec.xLabel, 'font-size="13" text-anchor="middle"'));
  out.push(text(18, (m.top + height - m.bottom) / 2, spec.yLabel, `font-size="13" text-anchor="middle" transform="rotate(-90 18 ${((m.top + height - m.bottom) / 2).toFixed(1)})"`));
  spec.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const pts = s.points.filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py)).map(([px, py]) => [x.map(px), y.map(py)] as const);
    if (pts.length > 1) {
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2.2"${dash} points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>`);
    }
    for (const [a, b] of pts) {
      out.push(`<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="4" fill="${s.dashed ? '#ffffff' : color}" stroke="${color}" stroke-width="2"/>`);
    }
    const ly = m.top + 18 + i * 20;
    const lx = m.left + 14;
    out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 26}" y2="${ly - 4}" stroke="${color}" stroke-width="2.2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(text(lx + 34, ly, s.name, 'font-size="12"'));
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

export interface BarPanel {
  title: string;
  /** Shown on the value labels, e.g. "ms" or "req/s". */
  unit: string;
  bars: { label: string; value: number; color?: string }[];
}

/** Side-by-side panels of vertical bars, each with its own linear axis from zero. */
export function barPanels(spec: { title: string; panels: BarPanel[]; width?: number; height?: number }): string {
  const width = spec.width ?? Math.max(420, spec.panels.length * 300);
  const height = spec.height ?? 400;
  const panelWidth = width / spec.panels.length;
  const m = { left: 58, right: 14, top: 74, bottom: 70 };
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(text(width / 2, 28, spec.title, 'font-size="17" font-weight="bold" text-anchor="middle"'));
  spec.panels.forEach((panel, p) => {
    const x0 = p * panelWidth + m.left;
    const x1 = (p + 1) * panelWidth - m.right;
    const y = scale(panel.bars.map((b) => b.value), false, height - m.bottom, m.top, true);
    out.push(text((x0 + x1) / 2, 54, panel.title, 'font-size="13" font-weight="bold" text-anchor="middle"'));
    for (const t of y.ticks) {
      const py = y.map(t);
      out.push(`<line x1="${x0}" y1="${py.toFixed(1)}" x2="${x1}" y2="${py.toFixed(1)}" stroke="#e5e5e5"/>`);
      out.push(text(x0 - 6, py + 4, compactNumber(t), 'font-size="11" text-anchor="end" fill="#444"'));
    }
    const slot = (x1 - x0) / panel.bars.length;
    panel.bars.forEach((bar, i) => {
      const color = bar.color ?? PALETTE[i % PALETTE.length]!;
      const bx = x0 + i * slot + slot * 0.15;
      const bw = slot * 0.7;
      const top = Number.isFinite(bar.value) ? y.map(bar.value) : y.map(0);
      out.push(`<rect x="${bx.toFixed(1)}" y="${top.toFixed(1)}" width="${bw.toFixed(1)}" height="${(y.map(0) - top).toFixed(1)}" fill="${color}"/>`);
      const label = Number.isFinite(bar.value) ? `${compactNumber(bar.value)} ${panel.unit}` : 'n/a';
      out.push(text(bx + bw / 2, top - 6, label, 'font-size="11" text-anchor="middle"'));
      out.push(text(bx + bw / 2, height - m.bottom + 16, bar.label, 'font-size="11" text-anchor="middle"'));
    });
    out.push(`<line x1="${x0}" y1="${y.map(0).toFixed(1)}" x2="${x1}" y2="${y.map(0).toFixed(1)}" stroke="#999"/>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
