/**
 * Block Kit for an error Reply: what went wrong, the hint ("Did you mean …"), and the usage with an
 * example. Sent ephemerally for usage errors; never contains a stack trace.
 */
import type { Reply } from '../../commands/types.js';
import type { Block, SlackPayload } from './types.js';
import { context, esc, section } from './format.js';

export type ErrorReply = Extract<Reply, { kind: 'error' }>;

export function renderError(reply: ErrorReply, example?: string): SlackPayload {
  const lines = [`:warning: ${esc(reply.message)}`];
  const didYouMean = reply.suggestions.length ? `Did you mean ${reply.suggestions.map((s) => `\`${s}\``).join(', ')}?` : null;
  if (didYouMean) lines.push(didYouMean);
  else if (reply.hint) lines.push(reply.hint);
  const blocks: Block[] = [section(lines.join('\n'))];
  const usage = reply.usage ?? 'why-slow <pipeline> | pipelines | compare <pipeline> | size <pipeline> | help';
  const ex = example ?? 'why-slow orders_silver';
  blocks.push(context(`Usage: \`/dlt ${usage}\` · Example: \`/dlt ${ex}\``));
  const text = [reply.message, didYouMean ?? reply.hint, `Usage: /dlt ${usage}`, `Example: /dlt ${ex}`].filter(Boolean).join('\n');
  return { text, blocks };
}
