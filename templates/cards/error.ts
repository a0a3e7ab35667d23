/** Adaptive Card for an error Reply: what went wrong, "Did you mean …", usage and an example. Never a stack trace. */
import type { Reply } from '../../commands/types.js';
import { card, md, subtle, text } from './format.js';
import type { AdaptiveCard, CardElement } from './types.js';

export type ErrorReply = Extract<Reply, { kind: 'error' }>;

export function toAdaptiveCard(reply: ErrorReply): AdaptiveCard {
  const body: CardElement[] = [text(`⚠️ ${md(reply.message)}`, { color: 'attention', weight: 'bolder' })];
  const didYouMean = reply.suggestions.length ? `Did you mean ${reply.suggestions.map((s) => `\`${s}\``).join(', ')}?` : null;
  if (didYouMean) body.push(text(didYouMean, { spacing: 'small' }));
  else if (reply.hint) body.push(text(md(reply.hint), { spacing: 'small' }));
  // the command layer's usage may carry its own "example: …" line (commands/reply.ts usageLine)
  const [usageLine = '', ...more] = (reply.usage ?? 'why-slow <pipeline> | pipelines | compare <pipeline> | size <pipeline> | help').split('\n');
  const example = more.find((l) => /^\s*example:/i.test(l))?.replace(/^\s*example:\s*/i, '').replace(/^\/?dlt\s+/, '') ?? 'why-slow orders_silver';
  const usage = usageLine.replace(/^\/?dlt\s+/, '');
  body.push(subtle(`Usage: \`dlt ${usage}\` · Example: \`dlt ${example}\``));
  const fallback = [reply.message, didYouMean ?? reply.hint, `Usage: dlt ${usage}`, `Example: dlt ${example}`].filter(Boolean).join('\n');
  return card(body, fallback);
}
