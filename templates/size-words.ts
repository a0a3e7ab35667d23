/**
 * Plain-text phrases for the `size` advice, shared by the terminal, Block Kit and Adaptive Card
 * renderers (each escapes for its own platform). No formatting, no platform markup.
 */
import type { Reply } from '../commands/types.js';
import type { NodeAdvice, SizeAdvice, WorkerAdvice } from '../src/diagnosis/size-advice.js';
import { formatNumber } from './format.js';

export type SizeReply = Extract<Reply, { kind: 'size' }>;

const LABEL: Record<string, string> = {
  cpu: 'CPU-bound',
  memory: 'memory-bound',
  io: 'I/O-bound',
  network: 'network-bound (shuffle)',
  planning: 'planning-bound',
  startup: 'slow startup',
  scaling: 'scaling',
  backlog: 'falling behind',
  none: 'no bottleneck',
};

export function verdictWords(a: SizeAdvice): string {
  return LABEL[a.verdict.bottleneck] ?? a.verdict.bottleneck;
}

/** "num_workers 6 (now 4)", "keep min 2, max 8", "min 2, max 16 (now max 8), about 16 for the load". */
export function workersWords(w: WorkerAdvice, current: SizeReply['current']): string {
  const keep = w.basis === 'current';
  if (w.key === 'num_workers') {
    const now = current?.maxWorkers ?? null;
    if (keep || now === w.recommended) return `keep num_workers ${w.recommended}`;
    return `num_workers ${w.recommended}${now !== null ? ` (now ${now})` : ''}`;
  }
  const bounds = `min ${w.min ?? '—'}, max ${w.max ?? '—'}`;
  if (keep) return `keep autoscale ${bounds} (about ${w.recommended} used)`;
  if (w.basis === 'formula') return `autoscale ${bounds}, recommended ${w.recommended}`;
  const now = current && current.minWorkers !== null ? ` (now ${current.minWorkers}–${current.maxWorkers ?? '—'})` : '';
  return `autoscale ${bounds}${now}, about ${w.recommended} for the measured load`;
}

/** " · departs from the formula's 2" or "". */
export function departsWords(w: WorkerAdvice, formulaWorkers: number): string {
  return w.departsFromFormula ? ` · departs from the formula's ${formulaWorkers}` : ' · as the formula';
}

export function nodeWords(n: NodeAdvice, formulaInstance: string): string {
  const formula = formulaInstance.split(' (')[0];
  const what = n.nodeType ?? 'a node type';
  const family = n.family ? ` (${n.family}, guide ${n.guideSection})` : '';
  const verb = n.change ? 'use ' : 'keep ';
  return `${verb}${what}${family}${n.departsFromFormula ? ` · departs from the formula's ${formula}` : ''}`;
}

export function savingsWords(s: NonNullable<SizeAdvice['savings']>): string {
  const dollars = s.dollars !== null && s.periodDays !== null ? `, about $${formatNumber(Math.round(s.dollars))} of the last ${s.periodDays} days' compute` : '';
  return `about ${s.percent}% lower compute cost (guide 12.2: int((1 − cpu_avg/70) × 100))${dollars}`;
}

/** The one-line summary for notification fallbacks. */
export function adviceSummary(reply: SizeReply): string | null {
  const a = reply.advice;
  if (!a) return null;
  if (a.compute === 'serverless') return 'serverless: Databricks sizes the compute, no worker sizing';
  const parts: string[] = [];
  if (a.workers) parts.push(workersWords(a.workers, reply.current));
  if (a.node && a.node.change) parts.push(`use ${a.node.nodeType ?? a.node.family ?? 'another node type'}`);
  if (a.driver) parts.push(`driver: ${a.driver.nodeType ?? 'more memory'}`);
  return parts.length ? parts.join('; ') : null;
}
