/** Digest (and cost) → terminal text: totals vs the previous period, top pipelines, savings, notes. */
import type { Reply } from '../commands/types.js';
import type { Digest, Opportunity, PipelineCost } from '../src/digest/types.js';
import { DEFAULT_TEXT_OPTIONS, pad, paint, type TextOptions, truncate, wrap } from './format.js';
import { plural } from '../src/util/plural.js';

type DigestReply = Extract<Reply, { kind: 'digest' }>;

export const usd = (v: number): string => `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const dbu = (v: number): string => `${v.toLocaleString('en-US', { maximumFractionDigits: 1 })} DBU`;
export const change = (p: number | null): string => (p === null ? 'new' : `${p > 0 ? '+' : ''}${p.toFixed(1)}%`);
/**
 * The change of a spend against the period before, in words where a percentage misleads: nothing
 * billed now after spend before is "no runs" (an idle hour is not a −100% alarm), spend now after
 * none before is "new".
 */
export const spendChange = (x: { dbus: number; previousDbus: number; changePercent: number | null }): string =>
  x.dbus === 0 && x.previousDbus > 0 ? 'no runs' : change(x.changePercent);
/** nothing was billed in the period (pipelines only had spend the period before) */
export const noRuns = (t: { dbus: number }): boolean => t.dbus === 0;
export const NO_RUNS = 'No runs in this period: nothing was billed.';
export const range = (r: { low: number; high: number }): string => (Math.abs(r.high - r.low) < 0.005 ? usd(r.high) : `${usd(r.low)}–${usd(r.high)}`);
export const day = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

const BARS = '▁▂▃▄▅▆▇█';
/** daily spend as a one-line bar chart */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (max <= 0 ? BARS[0] : BARS[Math.min(7, Math.floor((v / max) * 7.999))])).join('');
}

export function utilizationText(cpu: number | null, slots: number | null): string {
  const parts: string[] = [];
  if (cpu !== null) parts.push(`CPU ${cpu.toFixed(1)}% mean on workers`);
  if (slots !== null) parts.push(`task slots ${(slots * 100).toFixed(0)}% busy`);
  return parts.length ? `${parts.join(' · ')} (target 70–85%, guide 1.2)` : 'no node metrics in this period (serverless pipelines have none; classic ones only while they run)';
}

export function opportunityLines(o: Opportunity, i: number, width: number): string[] {
  const head = `${i + 1}. ${range(o.savingsUsd)}  ${o.pipeline.name}: ${o.change} (guide ${o.guideSection})`;
  return [...wrap(head, width, '     ', '  '), ...wrap(`${o.why} Risk: ${o.risk}`, width, '     ')];
}

function pipelineRow(p: PipelineCost, nameW: number): string {
  const eff = p.dbuPerMillionRows === null ? '—' : p.dbuPerMillionRows.toFixed(2);
  const util = p.serverless ? 'serverless' : p.cpuAvg === null ? '—' : `${p.cpuAvg.toFixed(0)}%`;
  return `  ${pad(truncate(p.name, nameW), nameW)} ${pad(usd(p.dollars), 12)} ${pad(spendChange(p), 8)} ${pad(eff, 9)} ${util}`;
}

/** The body shared by `digest` and `cost`. */
export function digestLines(d: Digest, o: TextOptions, title: string): string[] {
  const W = o.width;
  const t = d.totals;
  const out: string[] = [];
  out.push(...wrap(paint(`${title} ${day(d.period.start)} → ${day(d.period.end)} UTC${d.filter ? ` (${d.filter})` : ''}`, 'bold', o.color), W));
  if (t.pipelines === 0) {
    out.push(...wrap('No pipeline spend in this period.', W, '  ', '  '));
  } else if (noRuns(t)) {
    out.push(...wrap(`${NO_RUNS} The period before: ${usd(t.previousDollars)} (${dbu(t.previousDbus)}).`, W, '  ', '  '));
  } else {
    out.push(...wrap(`Spend        ${usd(t.dollars)} (${dbu(t.dbus)}), ${change(t.changePercent)} vs ${usd(t.previousDollars)} the period before; ${plural(t.pipelines, 'pipeline')}`, W, ' '.repeat(15), '  '));
    out.push(...wrap(`Maintenance  ${dbu(t.maintenanceDbus)} (${usd(t.maintenanceDollars)}), apart from ${dbu(t.updateDbus)} of updates`, W, ' '.repeat(15), '  '));
    out.push(...wrap(`Efficiency   ${t.dbuPerMillionRows === null ? 'no output rows in the event log' : `${t.dbuPerMillionRows.toFixed(2)} DBU per million output rows (guide 1.2)`}`, W, ' '.repeat(15), '  '));
    out.push(...wrap(`Utilization  ${utilizationText(t.cpuAvg, t.slotUtilization)}`, W, ' '.repeat(15), '  '));
    if (d.daily.length > 1) out.push(...wrap(`Daily        ${sparkline(d.daily.map((x) => x.dollars))}  ${d.daily[0]!.day} … ${d.daily[d.daily.length - 1]!.day}`, W, ' '.repeat(15), '  '));
    out.push('', paint('Top pipelines by spend', 'bold', o.color));
    const nameW = Math.max(8, Math.min(W - 48, Math.max(...d.top.map((p) => p.name.length))));
    out.push(`  ${pad('pipeline', nameW)} ${pad('spend', 12)} ${pad('change', 8)} ${pad('DBU/M rows', 9)} CPU`);
    for (const p of d.top) out.push(pipelineRow(p, nameW));
  }
  out.push('');
  if (d.opportunities.length === 0) {
    out.push(...wrap('No savings opportunities found (guide §12.2).', W));
  } else {
    out.push(...wrap(paint(`Savings opportunities: ${range(d.savingsUsd)} per period like this one`, 'bold', o.color), W));
    d.opportunities.forEach((op, i) => out.push(...opportunityLines(op, i, W)));
  }
  if (d.notes.length) {
    out.push('');
    for (const n of d.notes) out.push(...wrap(`- ${n}`, W, '  '));
  }
  return out;
}

export function toText(reply: DigestReply, o: TextOptions = DEFAULT_TEXT_OPTIONS): string {
  const out: string[] = [];
  if (reply.note) out.push(...wrap(`(${reply.note})`, o.width));
  out.push(...digestLines(reply.digest, o, 'Cost digest'));
  return out.join('\n');
}
