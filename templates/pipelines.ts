import type { Reply } from '../commands/types.js';
import { updatesSourceLine } from './updates-source.js';
import { DEFAULT_TEXT_OPTIONS, formatDuration, formatRatio, pad, paint, type TextOptions, truncate, wrap } from './format.js';

type PipelinesReply = Extract<Reply, { kind: 'pipelines' }>;

export function toText(reply: PipelinesReply, o: TextOptions = DEFAULT_TEXT_OPTIONS): string {
  const out: string[] = [];
  const title = reply.filter ? `Pipelines matching "${reply.filter}"` : 'Pipelines';
  out.push(paint(`${title} (${reply.pipelines.length})`, 'bold', o.color));
  if (reply.pipelines.length === 0) {
    out.push(...wrap(reply.filter ? 'None match; try a shorter filter.' : 'No pipelines found.', o.width));
    return out.join('\n');
  }
  const nameW = Math.min(32, Math.max(8, ...reply.pipelines.map((p) => p.name.length)));
  for (const p of reply.pipelines) {
    const last = p.lastUpdate;
    const dur = last ? formatDuration(last.durationS) : '—';
    const ratio = last?.durationS != null && p.baselineMedianS ? ` (${formatRatio(last.durationS / p.baselineMedianS)} median)` : '';
    const health = p.health === 'UNHEALTHY' ? paint('UNHEALTHY', 'red', o.color) : (p.health ?? '—');
    const line = `${pad(truncate(p.name, nameW), nameW)}  ${pad(health, 9)}  ${pad(last?.state ?? 'no updates', 10)}  ${dur}${ratio}`;
    out.push(...wrap(line, o.width, ' '.repeat(nameW + 2), ''));
  }
  const source = updatesSourceLine(reply.pipelines);
  if (source) out.push('', ...wrap(source, o.width));
  return out.join('\n');
}
