import type { ErrorInfo } from '../evidence.js';

/** An error's message and every exception's class and message, one per line: what the failure rules match against. */
export function errorText(e: ErrorInfo): string {
  return [e.message, ...e.exceptions.flatMap((x) => [x.className, x.message])].join('\n');
}
