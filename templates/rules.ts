import type { Reply } from '../commands/types.js';
import { DEFAULT_TEXT_OPTIONS, pad, paint, type TextOptions, wrap } from './format.js';
import { thresholdLines } from './rule-thresholds.js';

type RulesReply = Extract<Reply, { kind: 'rules' }>;

export function toText(reply: RulesReply, o: TextOptions = DEFAULT_TEXT_OPTIONS): string {
  const out: string[] = [paint(`Rules (${reply.rules.length})`, 'bold', o.color)];
  for (const r of reply.rules) {
    const source = r.guideSection === 'docs' ? 'Databricks docs' : `guide ${r.guideSection}`;
    out.push(...wrap(`${pad(r.id, 26)} ${pad(r.category, 9)} ${pad(r.severity, 8)} ${source}`, o.width, '    ', '  '));
    out.push(...wrap(r.description, o.width, '      ', '      '));
    const thresholds = thresholdLines(r.defaults);
    if (thresholds.length) out.push(...wrap(`thresholds: ${thresholds.join(' · ')}`, o.width, '        ', '      '));
  }
  return out.join('\n');
}
