/** Shared helpers of the command layer: error replies and readable zod messages. */
import type { z } from 'zod';
import { DoctorError } from '../src/errors.js';
import { redactDeep } from '../src/redact.js';
import type { CommandMeta, Reply } from './types.js';

export function usageLine(meta: CommandMeta): string {
  return `${meta.usage}\nexample: ${meta.examples[0] ?? meta.usage}`;
}

export function usageError(message: string, meta: CommandMeta | null, hint: string | null = null): Extract<Reply, { kind: 'error' }> {
  return { kind: 'error', code: 'BAD_USAGE', message, hint, suggestions: [], usage: meta ? usageLine(meta) : null };
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
export function errorToReply(err: unknown, meta: CommandMeta | null): Reply {
  return redactDeep(toErrorReply(err, meta));
}

function toErrorReply(err: unknown, meta: CommandMeta | null): Reply {
  if (err instanceof DoctorError) {
    return {
      kind: 'error',
      code: err.code,
      message: err.message,
      hint: err.hint ?? null,
      suggestions: err.suggestions,
      usage: err.code === 'BAD_USAGE' && meta ? usageLine(meta) : null,
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
