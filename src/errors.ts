/**
 * Typed errors with stable codes. Thrown deep, caught only at entry points (CLI, surfaces),
 * which turn them into a user message, an exit code or a log line. `cause` is kept.
 */
import { echo } from './util/echo.js';

export type ErrorCode =
  | 'BAD_USAGE'
  | 'BAD_BUNDLE'
  | 'NO_EVENTS'
  | 'PIPELINE_NOT_FOUND'
  | 'UPDATE_NOT_FOUND'
  | 'SOURCE_UNAVAILABLE'
  | 'PERMISSION_DENIED'
  | 'CONFLICT'
  | 'CONFIG';

export class DoctorError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; hint?: string; suggestions?: string[]; allowList?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DoctorError';
    this.hint = options?.hint;
    this.suggestions = options?.suggestions ?? [];
    this.allowList = options?.allowList === true;
  }
  readonly hint: string | undefined;
  readonly suggestions: string[];
  /** PERMISSION_DENIED by dlt-doctor's own allow-list (DLT_DOCTOR_APPLY_ALLOWED_USERS), not by Databricks */
  readonly allowList: boolean;
}

/** A refusal by the apply allow-list: shown as it is written, never as "Databricks refused access". */
export const notAllowed = (message: string) => new DoctorError('PERMISSION_DENIED', message, { allowList: true });

export const badUsage = (message: string, hint?: string) => new DoctorError('BAD_USAGE', message, { hint });
export const badBundle = (message: string, cause?: unknown) => new DoctorError('BAD_BUNDLE', message, { cause });
export const sourceUnavailable = (message: string, cause?: unknown, hint?: string) =>
  new DoctorError('SOURCE_UNAVAILABLE', message, { cause, hint });
export const pipelineNotFound = (ref: string, suggestions: string[]) =>
  new DoctorError(
    'PIPELINE_NOT_FOUND',
    `No pipeline named or with id "${echo(ref)}".`,
    { suggestions, hint: suggestions.length ? `Did you mean ${suggestions.map((s) => `\`${echo(s).replace(/`/g, "'")}\``).join(', ')}?` : 'Run `pipelines` to list them.' },
  );

/** CONTRACT.md §2 exit codes. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof DoctorError) {
    switch (err.code) {
      case 'BAD_USAGE':
        return 2;
      case 'SOURCE_UNAVAILABLE':
      case 'PERMISSION_DENIED':
        return 4;
      default:
        return 3;
    }
  }
  return 1;
}
