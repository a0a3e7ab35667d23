/** Block Kit for `rules`: the rule catalog, one line per rule. */
import type { Reply } from '../../commands/types.js';
import type { Block, SlackPayload } from './types.js';
import { esc, fallbackText, header, inlineCode, section } from './format.js';

export type RulesReply = Extract<Reply, { kind: 'rules' }>;

export function renderRules(reply: RulesReply): SlackPayload {
  const blocks: Block[] = [header(`Diagnosis rules (${reply.rules.length})`)];
  const lines = reply.rules.map((r) => `${inlineCode(r.id)} _${esc(r.category)}, ${esc(r.severity)}_ · ${esc(r.description)} (guide §${esc(r.guideSection)})`);
  for (let i = 0; i < lines.length; i += 12) blocks.push(section(lines.slice(i, i + 12).join('\n')));
  return { text: fallbackText(['Diagnosis rules:', ...reply.rules.map((r) => `${r.id} (${r.category}): ${r.description}`)].join('\n')), blocks };
}
