/** Adaptive Card for `help [command]`. In Teams people type `dlt <command>` (with the @mention in channels). */
import type { CommandMeta, Reply } from '../../commands/types.js';
import { card, heading, line, plain, rt, section, subtleLine, text } from './format.js';
import type { AdaptiveCard, CardElement } from './types.js';

export type HelpReply = Extract<Reply, { kind: 'help' }>;

const usageOf = (c: CommandMeta) => line(rt`\`dlt ${c.usage}\``);

export function toAdaptiveCard(reply: HelpReply): AdaptiveCard {
  if (reply.command) {
    const c = reply.command;
    const body: CardElement[] = [heading(`dlt ${c.name}`), usageOf(c), plain(c.summary, { spacing: 'small' })];
    if (c.examples.length) body.push(section([text('**Examples**'), line(c.examples.flatMap((e, i) => rt`${i ? '\n' : ''}• \`dlt ${e}\``), { spacing: 'small' })]));
    return card(body, `dlt ${c.usage}: ${c.summary}${c.examples.length ? `\nExamples:\n${c.examples.map((e) => `dlt ${e}`).join('\n')}` : ''}`);
  }
  const body: CardElement[] = [heading('dlt-doctor: why is my pipeline slow?'), line(rt`**Start here:** \`dlt pipelines\` lists your pipelines worst first; then \`dlt why-slow <pipeline>\` on the one at the top.`)];
  for (const c of reply.commands) {
    body.push(section([usageOf(c), line([...rt`${c.summary}`, ...(c.examples[0] ? rt` e.g. \`dlt ${c.examples[0]}\`` : [])], { spacing: 'small', isSubtle: true })], { spacing: 'small' }));
  }
  body.push(subtleLine(rt`\`dlt help <command>\` shows every example of one command. In a channel, @mention the bot first.`));
  return card(body, ['dlt-doctor commands:', ...reply.commands.map((c) => `dlt ${c.usage} — ${c.summary}`)].join('\n'));
}
