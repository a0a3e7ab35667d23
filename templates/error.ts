import type { Reply } from '../commands/types.js';
import { DEFAULT_TEXT_OPTIONS, paint, type TextOptions, wrap } from './format.js';

type ErrorReply = Extract<Reply, { kind: 'error' }>;

export function toText(reply: ErrorReply, o: TextOptions = DEFAULT_TEXT_OPTIONS): string {
  const out: string[] = [];
  out.push(...wrap(`${paint('error:', 'red', o.color)} ${reply.message}`, o.width, '  ', ''));
  if (reply.hint) out.push(...wrap(reply.hint, o.width, '  ', '  '));
  if (reply.usage) {
    const [usage, ...rest] = reply.usage.split('\n');
    out.push(...wrap(`usage: ${usage}`, o.width, '    ', '  '));
    for (const r of rest) out.push(...wrap(r, o.width, '    ', '  '));
  }
  return out.join('\n');
}
