/**
 * The diagnosis chart: the update's phase timeline (top) and the last 20 update durations against
 * the baseline median (bottom). Each bar is coloured by where it falls against the median: red
 * more than NEAR slower, green more than NEAR faster, grey within it (run-to-run noise; issue 17
 * item 10: a faster-than-median update is never painted as a problem); this update is the darker
 * shade of its colour, outlined, with its duration above it.
 * Surface-neutral: the Slack surface (and the console, which speaks Slack's API) uploads it.
 */
import type { Reply } from '../../commands/types.js';
import { PHASES } from '../diagnosis/evidence.js';
import { shortDuration as short } from './axis.js';
import { svgDocument, svgText as text, svgToPng } from './svg.js';

type DiagnosisReply = Extract<Reply, { kind: 'diagnosis' }>;

const W = 800;
const H = 420;
const PHASE_COLORS: Record<string, string> = {
  queued: '#9e9e9e',
  created: '#bdbdbd',
  waiting_for_resources: '#ef6c00',
  initializing: '#8e24aa',
  resetting: '#6d4c41',
  setting_up_tables: '#3949ab',
  running: '#2e7d32',
  stopping: '#757575',
};

/** bar colours: [other updates, this update] */
export const DURATION_COLORS = {
  slower: ['#ef9a9a', '#c62828'],
  near: ['#cfd8dc', '#546e7a'],
  faster: ['#a5d6a7', '#2e7d32'],
  /** no baseline to compare with */
  plain: ['#90caf9', '#1565c0'],
} as const;

/** within ±10% of the median a duration is "about the median": the run-to-run noise of a steady pipeline */
export const NEAR = 0.1;

/** Where a duration falls against the baseline median. */
export function durationClass(seconds: number, median: number | null): keyof typeof DURATION_COLORS {
  if (median === null || !(median > 0)) return 'plain';
  if (seconds > median * (1 + NEAR)) return 'slower';
  if (seconds < median * (1 - NEAR)) return 'faster';
  return 'near';
}

export function diagnosisChartSvg(reply: DiagnosisReply): string {
  const d = reply.diagnosis;
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="#ffffff"/>`];
  parts.push(text(20, 28, `${d.pipeline.name} · update ${d.update.id}`, { size: 16, weight: 'bold' }));

  // phase timeline: one stacked bar, widths proportional to seconds
  const phases = [...PHASES.filter((p) => (d.update.phases_s[p] ?? 0) > 0), ...Object.keys(d.update.phases_s).filter((p) => !(PHASES as readonly string[]).includes(p) && (d.update.phases_s[p] ?? 0) > 0)];
  const total = phases.reduce((n, p) => n + (d.update.phases_s[p] ?? 0), 0);
  const barX = 20;
  const barW = W - 40;
  parts.push(text(20, 56, 'Phases', { size: 13, weight: 'bold' }));
  let x = barX;
  phases.forEach((p, i) => {
    const s = d.update.phases_s[p] ?? 0;
    const w = total > 0 ? (s / total) * barW : 0;
    parts.push(`<rect x="${x.toFixed(1)}" y="64" width="${Math.max(0.5, w).toFixed(1)}" height="28" fill="${PHASE_COLORS[p] ?? '#607d8b'}"/>`);
    if (w > 60) parts.push(text(x + w / 2, 83, short(s), { anchor: 'middle', fill: '#ffffff' }));
    const lx = 20 + (i % 4) * 190;
    const ly = 112 + Math.floor(i / 4) * 18;
    parts.push(`<rect x="${lx}" y="${ly - 10}" width="10" height="10" fill="${PHASE_COLORS[p] ?? '#607d8b'}"/>`);
    parts.push(text(lx + 14, ly, `${p.replace(/_/g, ' ')} ${short(s)}`, { size: 11 }));
    x += w;
  });
  if (!phases.length) parts.push(text(20, 84, 'no phase timings in the event log', { fill: '#757575' }));

  // last 20 durations vs the baseline median
  const runs = reply.durations.slice(-20);
  const top = 170;
  const bottom = H - 40;
  const chartH = bottom - top;
  const median = d.baseline?.median_duration_s ?? null;
  const max = Math.max(1, median ?? 0, ...runs.map((r) => r.durationS)) * 1.1;
  parts.push(text(20, top - 8, `Last ${runs.length} updates${median ? ` vs baseline median ${short(median)}` : ''}`, { size: 13, weight: 'bold' }));
  parts.push(`<line x1="60" y1="${bottom}" x2="${W - 20}" y2="${bottom}" stroke="#9e9e9e"/>`);
  parts.push(text(55, bottom, '0', { anchor: 'end', size: 10 }));
  parts.push(text(55, top + 10, short(max), { anchor: 'end', size: 10 }));
  const slot = runs.length ? (W - 80) / runs.length : 0;
  runs.forEach((r, i) => {
    const h = (r.durationS / max) * chartH;
    const current = r.updateId === d.update.id;
    const cls = durationClass(r.durationS, median);
    const fill = DURATION_COLORS[cls][current ? 1 : 0];
    const outline = current ? ' stroke="#212121" stroke-width="2"' : '';
    parts.push(`<rect x="${(64 + i * slot).toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${Math.max(1, slot - 6).toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"${outline}><title>${cls}</title></rect>`);
    if (current) parts.push(text(64 + i * slot + (slot - 6) / 2, bottom - h - 4, short(r.durationS), { anchor: 'middle', size: 10, fill }));
  });
  if (median !== null) {
    const y = bottom - (median / max) * chartH;
    parts.push(`<line x1="60" y1="${y.toFixed(1)}" x2="${W - 20}" y2="${y.toFixed(1)}" stroke="#424242" stroke-dasharray="6 4"/>`);
    parts.push(text(W - 22, y - 4, `median ${short(median)}`, { anchor: 'end', size: 10 }));
  }
  if (!runs.length) parts.push(text(W / 2, top + chartH / 2, 'no update history', { anchor: 'middle', fill: '#757575' }));
  const key = median !== null ? 'oldest → newest; red = over 10% slower than the median, green = over 10% faster, grey = within 10%; outlined = this update' : 'oldest → newest; outlined = this update (no baseline to compare with)';
  parts.push(text(20, H - 14, key, { size: 10, fill: '#757575' }));
  return svgDocument(W, H, parts);
}

export function diagnosisChartPng(reply: DiagnosisReply): Buffer {
  return svgToPng(diagnosisChartSvg(reply));
}
