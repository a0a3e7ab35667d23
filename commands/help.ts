import { z } from 'zod';
import type { Command, CommandMeta } from './types.js';
import { echo } from '../src/util/echo.js';

export interface HelpArgs {
  command: string | null;
}

export const args = z
  .strictObject({ _: z.array(z.string()).max(1, 'give at most one command name') })
  .transform((v): HelpArgs => ({ command: v._[0]?.toLowerCase() || null }));

/** commands that write to the machine they run on: listed in the terminal's help only */
export const TERMINAL_ONLY: ReadonlySet<string> = new Set(['export']);

/** `help` needs the list of commands; the registry passes it in (no import cycle). */
export function makeHelp(list: () => CommandMeta[]): Command<HelpArgs> {
  const help: Command<HelpArgs> = {
    meta: {
      name: 'help',
      summary: 'Usage of every command, or of one, with examples.',
      usage: 'help [command]',
      examples: ['help', 'help why-slow'],
    },
    args,
    async run(a, ctx) {
      // chat help lists what works in chat (issue 17 item 8)
      const commands = list().filter((c) => ctx.surface === 'cli' || !TERMINAL_ONLY.has(c.name));
      if (a.command === null) return { kind: 'help', commands, command: null };
      const command = commands.find((c) => c.name === a.command) ?? null;
      if (!command) {
        return {
          kind: 'error',
          code: 'BAD_USAGE',
          message: `No command "${echo(a.command)}".`,
          hint: `Commands: ${commands.map((c) => c.name).join(', ')}`,
          suggestions: [],
          usage: `${help.meta.usage}\nexample: ${help.meta.examples[1]}`,
        };
      }
      return { kind: 'help', commands, command };
    },
  };
  return help;
}
