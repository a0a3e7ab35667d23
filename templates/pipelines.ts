import type { Reply } from '../commands/types.js';
import { assessmentReasons, STATUS_LABEL } from './assessment.js';
import { backlogSourceLine, updatesSourceLine } from './updates-source.js';
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
  const labelW = reply.pipelines.some((p) => p.assessment) ? Math.max('dlt-doctor'.length, ...reply.pipelines.map((p) => (p.assessment ? STATUS_LABEL[p.assessment.status].length : 0))) : 0;
  out.push(paint(`${pad('pipeline', nameW)}  ${labelW ? `${pad('dlt-doctor', labelW)}  ` : ''}${pad('health', 9)}  ${pad('last', 9)}  took (vs median)`, 'dim', o.color));
  for (const p of reply.pipelines) {
    const last = p.lastUpdate;
    const dur = last ? formatDuration(last.durationS) : '—';
    const ratio = last?.durationS != null && p.baselineMedianS ? ` ${formatRatio(last.durationS / p.baselineMedianS)}` : '';
    const health = p.health === 'UNHEALTHY' ? paint(pad('UNHEALTHY', 9), 'red', o.color) : pad(p.health ?? '—', 9);
    const status = p.assessment?.status;
    const label = status ? paint(pad(STATUS_LABEL[status], labelW), status === 'ok' ? 'green' : status === 'failed' ? 'red' : 'yellow', o.color && status !== 'no_updates') : '';
    const line = `${pad(truncate(p.name, nameW), nameW)}  ${labelW ? `${label}  ` : ''}${health}  ${pad(last?.state ?? 'none', 9)}  ${dur}${ratio}`;
    out.push(...wrap(line, o.width, ' '.repeat(nameW + 2), ''));
    const reasons = assessmentReasons(p, { failure: false });
    if (reasons.length) out.push(...wrap(`↳ ${reasons.join('; ')}`, o.width, ' '.repeat(nameW + 4), ' '.repeat(nameW + 2)));
  }
  const source = updatesSourceLine(reply.pipelines);
  if (source) out.push('', ...wrap(source, o.width));
  const backlog = backlogSourceLine(reply.pipelines);
  if (backlog) out.push(...wrap(backlog, o.width));
  return out.join('\n');
}
