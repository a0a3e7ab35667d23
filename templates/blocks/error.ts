/**
 * Block Kit for an error Reply: what went wrong, the hint ("Did you mean …"), and the usage with an
 * example. Sent ephemerally for usage errors; never contains a stack trace. Message, hint, usage and
 * suggestions are data with placeholders (`<pipeline>`): escaped, so Slack shows them.
 */
import type { Reply } from '../../commands/types.js';
import type { Block, SlackPayload } from './types.js';
import { context, echo, esc, fallbackText, inlineCode, section } from './format.js';

export type ErrorReply = Extract<Reply, { kind: 'error' }>;

export function renderError(reply: ErrorReply, example?: string): SlackPayload {
  const lines = [`:warning: ${esc(reply.message)}`];
  const didYouMean = reply.suggestions.length ? `Did you mean ${reply.suggestions.map((s) => inlineCode(echo(s))).join(', ')}?` : null;
  if (didYouMean) lines.push(didYouMean);
  else if (reply.hint) lines.push(esc(reply.hint));
  const blocks: Block[] = [section(lines.join('\n'))];
  // the command layer's usage may carry its own "example: …" line (commands/reply.ts usageLine)
  const [usageLine = '', ...more] = (reply.usage ?? 'why-slow <pipeline> | pipelines | compare <pipeline> | size <pipeline> | help').split('\n');
  const exampleLine = more.find((l) => /^\s*example:/i.test(l))?.replace(/^\s*example:\s*/i, '').replace(/^\/dlt\s+/, '');
  const usage = usageLine.replace(/^\/dlt\s+/, '');
  const ex = example ?? exampleLine ?? 'why-slow orders_silver';
  blocks.push(context(`Usage: ${inlineCode(`/dlt ${usage}`)} · Example: ${inlineCode(`/dlt ${ex}`)}`));
  const text = fallbackText([reply.message, (reply.suggestions.length ? `Did you mean ${reply.suggestions.map((s) => `\`${echo(s)}\``).join(', ')}?` : null) ?? reply.hint, `Usage: /dlt ${usage}`, `Example: /dlt ${ex}`].filter(Boolean).join('\n'));
  return { text, blocks };
}
