/** Adaptive Card for `rules`: the rule catalog, one row per rule. */
import type { Reply } from '../../commands/types.js';
import { card, heading, line, rt, subtle, text } from './format.js';
import type { AdaptiveCard, CardElement } from './types.js';

export type RulesReply = Extract<Reply, { kind: 'rules' }>;

export function toAdaptiveCard(reply: RulesReply): AdaptiveCard {
  const body: CardElement[] = [heading(`Diagnosis rules (${reply.rules.length})`)];
  for (const r of reply.rules) {
    body.push({ type: 'Container', spacing: 'small', separator: true, items: [line(rt`\`${r.id}\` · ${r.category}, ${r.severity}`), subtle(`${r.description} (guide §${r.guideSection})`)] });
  }
  if (!reply.rules.length) body.push(text('No rule matches.'));
  return card(body, ['Diagnosis rules:', ...reply.rules.map((r) => `${r.id} (${r.category}): ${r.description}`)].join('\n'));
}
