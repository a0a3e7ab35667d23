import type { Reply } from '../commands/types.js';
import { DEFAULT_TEXT_OPTIONS, paint, type TextOptions, wrap } from './format.js';

type HelpReply = Extract<Reply, { kind: 'help' }>;

export function toText(reply: HelpReply, o: TextOptions = DEFAULT_TEXT_OPTIONS): string {
  const out: string[] = [];
  if (reply.command) {
    const c = reply.command;
    out.push(paint(c.usage, 'bold', o.color));
    out.push(...wrap(c.summary, o.width, '  ', '  '));
    out.push('', 'Examples:');
    for (const e of c.examples) out.push(...wrap(e, o.width, '    ', '  '));
    return out.join('\n');
  }
  out.push(paint('dlt-doctor: why is this pipeline slow, and what exactly do I change?', 'bold', o.color), '');
  out.push(...wrap('Start here: `pipelines` lists your pipelines worst first; then `why-slow <pipeline>` on the one at the top.', o.width), '');
  for (const c of reply.commands) {
    out.push(...wrap(c.usage, o.width, '    ', '  '));
    out.push(...wrap(c.summary, o.width, '      ', '      '));
  }
  out.push('', ...wrap('Add --help to any command for examples; --json prints machine-readable output.', o.width));
  return out.join('\n');
}
