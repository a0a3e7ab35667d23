/**
 * Thrown errors → an error Reply a person can read. Stack traces go to the log, never to Slack.
 */
import type { Reply } from '../../../commands/types.js';
import { DoctorError } from '../../errors.js';

export type ErrorReply = Extract<Reply, { kind: 'error' }>;

/** Codes that are the asker's to fix: shown to them alone (ephemeral), not to the channel. */
export const USER_ERROR_CODES = new Set(['BAD_USAGE', 'PIPELINE_NOT_FOUND', 'UPDATE_NOT_FOUND']);

export function errorReplyFrom(err: unknown): ErrorReply {
  if (err instanceof DoctorError) {
    const message =
      err.code === 'SOURCE_UNAVAILABLE' ? `Databricks could not be reached: ${err.message}` :
      err.code === 'PERMISSION_DENIED' && !err.allowList ? `Databricks refused access: ${err.message}` :
      err.message;
    return { kind: 'error', code: err.code, message, hint: err.hint ?? null, suggestions: err.suggestions, usage: null };
  }
  return {
    kind: 'error',
    code: 'INTERNAL',
    message: 'Something went wrong while running this command. The details were logged for the operator.',
    hint: 'Try again in a minute; if it keeps failing, ask whoever runs dlt-doctor to check its log.',
    suggestions: [],
    usage: null,
  };
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
