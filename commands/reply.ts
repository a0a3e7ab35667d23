/** Shared helpers of the command layer: error replies and readable zod messages. */
import type { z } from 'zod';
import { DoctorError } from '../src/errors.js';
import { redactDeep } from '../src/redact.js';
import type { CommandMeta, Reply } from './types.js';

/**
 * The usage of the command at hand (issue 17 item 8): for a command with subcommands (`alerts mute`,
 * `digest subscribe`), the usage and example of the one typed (`words`: the command's positional
 * arguments), not the whole list; else the command's own.
 */
export function usageLine(meta: CommandMeta, words: readonly string[] = []): string {
  const sub = words[0]?.toLowerCase();
  if (sub) {
    const head = `${meta.name} ${sub}`;
    const starts = (s: string) => s === head || s.startsWith(`${head} `);
    const piece = meta.usage.split(' · ').find(starts);
    if (piece) return `${piece}\nexample: ${meta.examples.find(starts) ?? piece}`;
  }
  return `${meta.usage}\nexample: ${meta.examples[0] ?? meta.usage}`;
}

export function usageError(message: string, meta: CommandMeta | null, hint: string | null = null, words: readonly string[] = []): Extract<Reply, { kind: 'error' }> {
  return { kind: 'error', code: 'BAD_USAGE', message, hint, suggestions: [], usage: meta ? usageLine(meta, words) : null };
}

/** zod issues → one line a person understands ("--gb: expected a number"). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown option ${issue.keys.map((k) => `--${k}`).join(', ')}`;
      const [key] = issue.path;
      if (key === undefined) return issue.message;
      if (key === '_') return issue.message;
      return `--${String(key)}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Any thrown value → an error Reply. DoctorError keeps its code; anything else stays generic.
 * Error text can quote what a server answered (a body echoing `Authorization: …`): it is redacted
 * here, where errors become messages, as well as where messages leave (src/redact.ts).
 */
export function errorToReply(err: unknown, meta: CommandMeta | null, words: readonly string[] = []): Reply {
  return redactDeep(toErrorReply(err, meta, words));
}

function toErrorReply(err: unknown, meta: CommandMeta | null, words: readonly string[]): Reply {
  if (err instanceof DoctorError) {
    return {
      kind: 'error',
      code: err.code,
      message: err.message,
      hint: err.hint ?? null,
      suggestions: err.suggestions,
      usage: err.code === 'BAD_USAGE' && meta ? usageLine(meta, words) : null,
    };
  }
  return {
    kind: 'error',
    code: 'INTERNAL',
    message: 'Something went wrong while running the command.',
    hint: err instanceof Error ? `(${err.name}: ${err.message.split('\n')[0]})` : null,
    suggestions: [],
    usage: null,
  };
}
