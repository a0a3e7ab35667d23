/** Block Kit for `help [command]`. Usage lines carry placeholders (`<pipeline>`): escaped, so they show. */
import type { CommandMeta, Reply } from '../../commands/types.js';
import type { Block, SlackPayload } from './types.js';
import { context, esc, fallbackText, header, inlineCode, section } from './format.js';

export type HelpReply = Extract<Reply, { kind: 'help' }>;

const usageOf = (c: CommandMeta) => inlineCode(`/dlt ${c.usage}`);

export function renderHelp(reply: HelpReply): SlackPayload {
  if (reply.command) {
    const c = reply.command;
    const examples = c.examples.map((e) => inlineCode(`/dlt ${e}`)).join('\n');
    return {
      text: fallbackText(`/dlt ${c.usage}: ${c.summary}${c.examples.length ? `\nExamples:\n${c.examples.map((e) => `/dlt ${e}`).join('\n')}` : ''}`),
      blocks: [header(`/dlt ${c.name}`), section(`${usageOf(c)}\n${esc(c.summary)}`), ...(examples ? [section(`*Examples*\n${examples}`)] : [])],
    };
  }
  const blocks: Block[] = [header('dlt-doctor: why is my pipeline slow?')];
  blocks.push(section(`*Start here:* ${inlineCode('/dlt pipelines')} lists your pipelines worst first; then ${inlineCode('/dlt why-slow <pipeline>')} on the one at the top.`));
  const lines = reply.commands.map((c) => `${usageOf(c)}\n${esc(c.summary)}${c.examples[0] ? ` e.g. ${inlineCode(`/dlt ${c.examples[0]}`)}` : ''}`);
  for (let i = 0; i < lines.length; i += 8) blocks.push(section(lines.slice(i, i + 8).join('\n\n')));
  blocks.push(context(`${inlineCode('/dlt help <command>')} shows every example of one command.`));
  const text = fallbackText(['dlt-doctor commands:', ...reply.commands.map((c) => `/dlt ${c.usage} — ${c.summary}`)].join('\n'));
  return { text, blocks };
}
