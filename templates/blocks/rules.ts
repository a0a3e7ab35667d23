/** Block Kit for `rules`: the rule catalog, one line per rule. */
import type { Reply } from '../../commands/types.js';
import type { Block, SlackPayload } from './types.js';
import { esc, fallbackText, header, inlineCode, section } from './format.js';
import { thresholdLines } from '../rule-thresholds.js';

export type RulesReply = Extract<Reply, { kind: 'rules' }>;

export function renderRules(reply: RulesReply): SlackPayload {
  const blocks: Block[] = [header(`Diagnosis rules (${reply.rules.length})`)];
  const lines = reply.rules.map((r) => {
    const t = thresholdLines(r.defaults);
    return `${inlineCode(r.id)} _${esc(r.category)}, ${esc(r.severity)}_ · ${esc(r.description)} (guide §${esc(r.guideSection)})${t.length ? `\n      _thresholds:_ ${esc(t.join(' · '))}` : ''}`;
  });
  // six rules a section keeps each under Block Kit's 3,000-character text limit
  for (let i = 0; i < lines.length; i += 6) blocks.push(section(lines.slice(i, i + 6).join('\n')));
  return { text: fallbackText(['Diagnosis rules:', ...reply.rules.map((r) => `${r.id} (${r.category}): ${r.description}`)].join('\n')), blocks };
}
