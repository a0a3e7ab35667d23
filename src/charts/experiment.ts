/**
 * The chart of a benchmark or A/B test: throughput (records/s) per iteration, in the order they
 * ran (A1 B1 A2 B2 …), A grey and B blue, each variant's average as a dashed line, so the spread
 * the significance test weighs is visible beside the difference.
 */
import type { ExperimentOutcome } from '../experiment/types.js';
import { throughputBars } from '../experiment/bars.js';

export { throughputBars } from '../experiment/bars.js';
import { niceMax } from './axis.js';
import { svgDocument, svgText, svgToPng } from './svg.js';

const COLORS = { A: '#9e9e9e', B: '#1e88e5' } as const;

export function experimentChartSvg(outcome: ExperimentOutcome): string {
  const bars = throughputBars(outcome);
  const W = 640;
  const H = 300;
  const left = 70;
  const top = 40;
  const bottom = 40;
  const plotH = H - top - bottom;
  const plotW = W - left - 20;
  const max = niceMax(Math.max(1, ...bars.map((b) => b.value)));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const slot = plotW / Math.max(1, bars.length);
  const parts: string[] = [svgText(left, 22, `${outcome.result.pipeline_name}: throughput per run (records/s)`, { size: 14, weight: 'bold' })];
  if (outcome.result.schema === 'dlt-doctor/ab-test@1') {
    // the legend: which colour is which variant (dashed: its average)
    parts.push(`<rect x="${W - 250}" y="12" width="10" height="10" fill="${COLORS.A}"/>`, svgText(W - 236, 21, 'A as is', { size: 11 }), `<rect x="${W - 170}" y="12" width="10" height="10" fill="${COLORS.B}"/>`, svgText(W - 156, 21, 'B with the change', { size: 11 }));
  }
  for (const t of [0, 0.5, 1]) {
    parts.push(`<line x1="${left}" x2="${W - 20}" y1="${y(max * t)}" y2="${y(max * t)}" stroke="#e0e0e0"/>`, svgText(left - 6, y(max * t) + 4, Math.round(max * t).toLocaleString('en-US'), { anchor: 'end', size: 11, fill: '#616161' }));
  }
  bars.forEach((b, i) => {
    const x = left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    parts.push(`<rect x="${x.toFixed(1)}" y="${y(b.value).toFixed(1)}" width="${w.toFixed(1)}" height="${(top + plotH - y(b.value)).toFixed(1)}" fill="${COLORS[b.variant]}"${b.completed ? '' : ' fill-opacity="0.35"'}/>`, svgText(x + w / 2, H - bottom + 16, b.label, { anchor: 'middle', size: 11 }));
  });
  for (const v of ['A', 'B'] as const) {
    const vals = bars.filter((b) => b.variant === v && b.completed).map((b) => b.value);
    if (!vals.length || (v === 'B' && outcome.result.schema === 'dlt-doctor/benchmark@1')) continue;
    const avg = vals.reduce((a, x) => a + x, 0) / vals.length;
    parts.push(`<line x1="${left}" x2="${W - 20}" y1="${y(avg).toFixed(1)}" y2="${y(avg).toFixed(1)}" stroke="${COLORS[v]}" stroke-dasharray="6 4" stroke-width="1.5"/>`);
  }
  return svgDocument(W, H, parts);
}

export const experimentChartPng = (outcome: ExperimentOutcome): Buffer => svgToPng(experimentChartSvg(outcome));
