import type { Reply } from '../commands/types.js';
import { DEFAULT_TEXT_OPTIONS, formatDuration, formatNumber, pad, paint, type TextOptions, truncate, wrap } from './format.js';

type CompareReply = Extract<Reply, { kind: 'compare' }>;

export function toText(reply: CompareReply, o: TextOptions = DEFAULT_TEXT_OPTIONS): string {
  const { a, b } = reply;
  const W = o.width;
  const out: string[] = [];
  out.push(paint(`${reply.pipeline.name}: ${a.update.id} (A) vs ${b.update.id} (B)`, 'bold', o.color));
  if (reply.basis) out.push(...wrap(reply.basis, W, '  ', '  '));
  const row = (label: string, x: string, y: string) => `  ${pad(truncate(label, 24), 24)} ${pad(truncate(x, 22), 22)} ${truncate(y, Math.max(8, W - 51))}`;
  out.push(row('', 'A', 'B'));
  out.push(row('state', a.update.state, b.update.state));
  out.push(row('duration', formatDuration(a.update.duration_s), formatDuration(b.update.duration_s)));
  out.push(row('verdict', a.verdict.bottleneck, b.verdict.bottleneck));
  const phases = [...new Set([...Object.keys(a.update.phases_s), ...Object.keys(b.update.phases_s)])];
  for (const p of phases) out.push(row(p.replace(/_/g, ' '), formatDuration(a.update.phases_s[p]), formatDuration(b.update.phases_s[p])));
  if (reply.flows.length) {
    out.push('', paint('Flows (rows/s)', 'bold', o.color));
    for (const f of reply.flows) {
      const fmt = (x: (typeof f)['a']) => (x === null ? 'did not run' : x.rowsPerS === null ? `${formatNumber(x.rows)} rows` : `${formatNumber(x.rowsPerS)}/s`);
      out.push(row(f.name.split('.').pop() ?? f.name, fmt(f.a), fmt(f.b)));
    }
  }
  out.push('', paint('Settings that differ', 'bold', o.color));
  if (reply.settings.length === 0) out.push('  none');
  for (const s of reply.settings) out.push(...wrap(`${s.key}: ${s.a} → ${s.b}`, W, '      ', '  '));
  out.push('', ...wrap(`B: ${b.verdict.summary}`, W, '   '));
  return out.join('\n');
}
