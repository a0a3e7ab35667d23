/**
 * The command registry and the one entry every surface uses: text (or argv) in, Reply out.
 * Never throws: bad input, unknown commands and failures all come back as an error Reply.
 */
import { alerts } from './alerts.js';
import { apply } from './apply.js';
import { abTest } from './ab-test.js';
import { benchmark } from './benchmark.js';
import { compare } from './compare.js';
import { cost } from './cost.js';
import { digest } from './digest.js';
import { exportCommand } from './export.js';
import { makeHelp } from './help.js';
import { type ParsedCommand, parseCommandText, parseCommandTokens } from './parse.js';
import { pipelines } from './pipelines.js';
import { describeIssues, errorToReply, usageError } from './reply.js';
import { rules } from './rules.js';
import { size } from './size.js';
import type { Command, CommandContext, CommandMeta, Reply } from './types.js';
import { whySlow } from './why-slow.js';
import { redactDeep } from '../src/redact.js';
import { echo } from '../src/util/echo.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = Command<any>;

const base: AnyCommand[] = [whySlow, pipelines, compare, size, rules, exportCommand, cost, digest, alerts, apply, benchmark, abTest];
export const help = makeHelp(() => COMMANDS.map((c) => c.meta));
export const COMMANDS: readonly AnyCommand[] = [...base, help];

export function findCommand(name: string): AnyCommand | undefined {
  return COMMANDS.find((c) => c.meta.name === name);
}

function closest(name: string): string | null {
  const names = COMMANDS.map((c) => c.meta.name);
  const prefix = names.find((n) => n.startsWith(name) || name.startsWith(n));
  if (prefix) return prefix;
  // one edit away (typo)
  return names.find((n) => editDistance(n, name) <= 2) ?? null;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

function helpMeta(): CommandMeta {
  return help.meta;
}

/** A parsed command line → Reply. */
/**
 * Every Reply leaves here redacted (src/redact.ts), before any template renders it: escaping in a
 * template (Markdown backslashes, `&amp;`) could otherwise turn a secret into a form the surface
 * edges no longer recognise.
 */
export async function runParsed(parsed: ParsedCommand, ctx: CommandContext): Promise<Reply> {
  return redactDeep(await runParsedUnredacted(parsed, ctx));
}

async function runParsedUnredacted(parsed: ParsedCommand, ctx: CommandContext): Promise<Reply> {
  if (parsed.name === null) {
    if (parsed.help || parsed.args._.length === 0) return help.run({ command: null }, ctx);
    return usageError('No command given.', helpMeta());
  }
  const command = findCommand(parsed.name);
  if (!command) {
    const guess = closest(parsed.name);
    return {
      ...usageError(`Unknown command "${echo(parsed.name)}".`, helpMeta(), guess ? `Did you mean \`${guess}\`?` : `Commands: ${COMMANDS.map((c) => c.meta.name).join(', ')}`),
      suggestions: guess ? [guess] : [],
    };
  }
  if (parsed.help) return help.run({ command: command.meta.name }, ctx);
  const args = command.args.safeParse(parsed.args);
  const words = parsed.args._.map(String);
  if (!args.success) return usageError(describeIssues(args.error), command.meta, null, words);
  try {
    return await command.run(args.data, ctx);
  } catch (err) {
    return errorToReply(err, command.meta, words);
  }
}

/** argv as a shell splits it (the CLI) → Reply. */
export async function runCommandArgv(argv: readonly string[], ctx: CommandContext): Promise<Reply> {
  const parsed = parseCommandTokens(argv);
  if (!parsed.ok) return usageError(parsed.message, helpMeta());
  return runParsed(parsed.value, ctx);
}

/** "/dlt why-slow orders_silver --update abc" (chat) → Reply. */
export async function runCommandText(text: string, ctx: CommandContext): Promise<Reply> {
  try {
    const parsed = parseCommandText(text);
    if (!parsed.ok) return usageError(parsed.message, helpMeta());
    return await runParsed(parsed.value, ctx);
  } catch (err) {
    return errorToReply(err, null);
  }
}
