/** Adaptive Card for `rules`: the rule catalog, one row per rule. */
import type { Reply } from '../../commands/types.js';
import { card, heading, line, rt, subtle, text } from './format.js';
import type { AdaptiveCard, CardElement } from './types.js';
import { thresholdLines } from '../rule-thresholds.js';

export type RulesReply = Extract<Reply, { kind: 'rules' }>;

export function toAdaptiveCard(reply: RulesReply): AdaptiveCard {
  const body: CardElement[] = [heading(`Diagnosis rules (${reply.rules.length})`)];
  for (const r of reply.rules) {
    const t = thresholdLines(r.defaults);
    const items: CardElement[] = [line(rt`\`${r.id}\` · ${r.category}, ${r.severity}`), subtle(`${r.description} (guide §${r.guideSection})`)];
    if (t.length) items.push(subtle(`Thresholds: ${t.join(' · ')}`));
    body.push({ type: 'Container', spacing: 'small', separator: true, items });
  }
  if (!reply.rules.length) body.push(text('No rule matches.'));
  return card(body, ['Diagnosis rules:', ...reply.rules.map((r) => `${r.id} (${r.category}): ${r.description}`)].join('\n'));
}
