/** Adaptive Card for `help [command]`. In Teams people type `dlt <command>` (with the @mention in channels). */
import type { CommandMeta, Reply } from '../../commands/types.js';
import { card, heading, md, section, subtle, text } from './format.js';
import type { AdaptiveCard, CardElement } from './types.js';

export type HelpReply = Extract<Reply, { kind: 'help' }>;

const usageOf = (c: CommandMeta) => `\`dlt ${c.usage}\``;

export function toAdaptiveCard(reply: HelpReply): AdaptiveCard {
  if (reply.command) {
    const c = reply.command;
    const body: CardElement[] = [heading(`dlt ${c.name}`), text(usageOf(c)), text(md(c.summary), { spacing: 'small' })];
    if (c.examples.length) body.push(section([text('**Examples**'), text(c.examples.map((e) => `- \`dlt ${e}\``).join('\r'), { spacing: 'small' })]));
    return card(body, `dlt ${c.usage}: ${c.summary}${c.examples.length ? `\nExamples:\n${c.examples.map((e) => `dlt ${e}`).join('\n')}` : ''}`);
  }
  const body: CardElement[] = [heading('dlt-doctor: why is my pipeline slow?')];
  for (const c of reply.commands) {
    body.push(section([text(usageOf(c)), text(`${md(c.summary)}${c.examples[0] ? ` e.g. \`dlt ${c.examples[0]}\`` : ''}`, { spacing: 'small', isSubtle: true })], { spacing: 'small' }));
  }
  body.push(subtle('`dlt help <command>` shows every example of one command. In a channel, @mention the bot first.'));
  return card(body, ['dlt-doctor commands:', ...reply.commands.map((c) => `dlt ${c.usage} — ${c.summary}`)].join('\n'));
}
