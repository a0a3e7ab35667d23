/** Adaptive Card for an error Reply: what went wrong, "Did you mean …", usage and an example. Never a stack trace. */
import type { Reply } from '../../commands/types.js';
import { card, line, rt, subtleLine, ticks } from './format.js';
import type { TextRun } from './types.js';
import type { AdaptiveCard, CardElement } from './types.js';

export type ErrorReply = Extract<Reply, { kind: 'error' }>;

export function toAdaptiveCard(reply: ErrorReply): AdaptiveCard {
  const body: CardElement[] = [line(ticks(`⚠️ ${reply.message}`), { color: 'attention', weight: 'bolder' })];
  const didYouMean = reply.suggestions.length ? `Did you mean ${reply.suggestions.join(', ')}?` : null;
  if (reply.suggestions.length) {
    const runs: TextRun[] = [...rt`Did you mean `];
    reply.suggestions.forEach((s, i) => runs.push(...(i ? rt`, ` : []), ...rt`\`${s}\``));
    body.push(line([...runs, ...rt`?`], { spacing: 'small' }));
  } else if (reply.hint) body.push(line(ticks(reply.hint), { spacing: 'small' }));
  // the command layer's usage may carry its own "example: …" line (commands/reply.ts usageLine)
  const [usageLine = '', ...more] = (reply.usage ?? 'why-slow <pipeline> | pipelines | compare <pipeline> | size <pipeline> | help').split('\n');
  const example = more.find((l) => /^\s*example:/i.test(l))?.replace(/^\s*example:\s*/i, '').replace(/^\/?dlt\s+/, '') ?? 'why-slow orders_silver';
  const usage = usageLine.replace(/^\/?dlt\s+/, '');
  body.push(subtleLine(rt`Usage: \`dlt ${usage}\` · Example: \`dlt ${example}\``));
  const fallback = [reply.message, didYouMean ?? reply.hint, `Usage: dlt ${usage}`, `Example: dlt ${example}`].filter(Boolean).join('\n');
  return card(body, fallback);
}
