/**
 * The cost chart of a digest or `cost` reply: daily list-price spend of the top pipelines (one
 * line each) over the period. When one pipeline's spend dwarfs the others' (its peak at least
 * DOMINANCE× the next one's), a linear axis would flatten every other line onto zero, so the axis
 * turns logarithmic (a gridline per power of ten) and the chart says why (issue 17 item 10).
 */
import type { Digest } from '../digest/types.js';
import { decades, niceMax, shortDollars as dollars } from './axis.js';
import { svgDocument, svgText as text, svgToPng, xml } from './svg.js';

const W = 800;
const H = 420;
const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a'];
const TOP = 5;
/** the top pipeline's peak ÷ the next one's at which the axis turns logarithmic */
export const DOMINANCE = 8;

export interface CostSeries {
  name: string;
  dollars: number[];
  total: number;
}

/** The top pipelines' daily series (at most five), or none when there is nothing to draw. */
export function digestChartSeries(digest: Digest): { days: string[]; series: CostSeries[] } {
  const days = digest.daily.map((d) => d.day);
  const series = (digest.topDaily ?? [])
    .slice(0, TOP)
    .map((t) => ({ name: t.name, dollars: t.dollars, total: t.dollars.reduce((s, v) => s + v, 0) }))
    .filter((t) => t.dollars.length === days.length && t.total > 0);
  return { days, series };
}

/** True when the digest has at least two days and one pipeline with spend: a chart worth posting. */
export function hasDigestChart(digest: Digest): boolean {
  const { days, series } = digestChartSeries(digest);
  return days.length >= 2 && series.length > 0;
}

/** The axis for these series: linear from 0, or logarithmic when one pipeline dominates. */
export function costScale(series: readonly CostSeries[]): { log: false; max: number } | { log: true; min: number; max: number; ratio: number; dominant: string } {
  const peaks = series.map((s) => ({ name: s.name, peak: Math.max(0, ...s.dollars) })).sort((a, b) => b.peak - a.peak);
  const top = peaks[0];
  const next = peaks[1];
  const linear = { log: false as const, max: niceMax(top?.peak ?? 0) };
  if (!top || !next || next.peak <= 0 || top.peak / next.peak < DOMINANCE) return linear;
  const positive = series.flatMap((s) => s.dollars).filter((v) => v > 0);
  const ticks = decades(Math.min(...positive), top.peak);
  return { log: true, min: ticks[0]!, max: ticks[ticks.length - 1]!, ratio: top.peak / next.peak, dominant: top.name };
}

export function digestChartSvg(digest: Digest): string {
  const { days, series } = digestChartSeries(digest);
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="#ffffff"/>`];
  const first = days[0] ?? digest.period.start.slice(0, 10);
  const last = days[days.length - 1] ?? digest.period.end.slice(0, 10);
  const scale = costScale(series);
  parts.push(text(20, 28, `Daily spend of the top ${series.length} pipeline${series.length === 1 ? '' : 's'} · ${first} … ${last}${scale.log ? ' (log scale)' : ''}`, { size: 16, weight: 'bold' }));

  const left = 70;
  const right = W - 20;
  const top = 50;
  const bottom = H - 110;
  // on the log axis a day without spend sits on the bottom line
  const y = scale.log
    ? (v: number) => bottom - ((Math.log10(Math.max(v, scale.min)) - Math.log10(scale.min)) / (Math.log10(scale.max) - Math.log10(scale.min))) * (bottom - top)
    : (v: number) => bottom - (v / scale.max) * (bottom - top);
  const x = (i: number) => (days.length <= 1 ? (left + right) / 2 : left + (i / (days.length - 1)) * (right - left));

  const grid = scale.log ? decades(scale.min, scale.max) : [0, 1, 2, 3, 4].map((g) => (scale.max * g) / 4);
  grid.forEach((v, g) => {
    parts.push(`<line x1="${left}" y1="${y(v).toFixed(1)}" x2="${right}" y2="${y(v).toFixed(1)}" stroke="${g === 0 ? '#9e9e9e' : '#eeeeee'}"/>`);
    parts.push(text(left - 6, y(v) + 4, dollars(v), { anchor: 'end', size: 10, fill: '#616161' }));
  });
  // at most ~10 day labels, always the first and last
  const every = Math.max(1, Math.ceil(days.length / 10));
  days.forEach((d, i) => {
    if (i % every === 0 || i === days.length - 1) parts.push(text(x(i), bottom + 16, d.slice(5), { anchor: 'middle', size: 10, fill: '#616161' }));
  });

  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length]!;
    const points = s.dollars.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round"><title>${xml(s.name)}</title></polyline>`);
    if (days.length <= 31) s.dollars.forEach((v, i) => parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${color}"/>`));
    // legend: two columns under the chart, highest spend first
    const lx = 20 + (k % 2) * 390;
    const ly = bottom + 44 + Math.floor(k / 2) * 20;
    parts.push(`<rect x="${lx}" y="${ly - 10}" width="14" height="4" fill="${color}"/>`);
    parts.push(text(lx + 20, ly - 4, `${s.name.length > 40 ? `${s.name.slice(0, 39)}…` : s.name}  ${dollars(s.total)}`, { size: 12 }));
  });
  if (!series.length) parts.push(text(W / 2, (top + bottom) / 2, 'no pipeline spend in this period', { anchor: 'middle', fill: '#757575' }));
  const footer = scale.log
    ? `log scale, a gridline per 10×: ${scale.dominant.length > 40 ? `${scale.dominant.slice(0, 39)}…` : scale.dominant} peaks at ${Math.round(scale.ratio)}× the next pipeline · list-price dollars per UTC day`
    : 'list-price dollars per UTC day (system.billing); the legend gives each pipeline’s period total';
  parts.push(text(20, H - 12, footer, { size: 10, fill: '#757575' }));
  return svgDocument(W, H, parts);
}

export function digestChartPng(digest: Digest): Buffer {
  return svgToPng(digestChartSvg(digest));
}
