/**
 * The Teams "Diagnosing …" message a slow command posts before its card. It is a text message, not
 * a card, so it is sent with textFormat "plain": "The text must be treated as raw text with no
 * formatting applied" (learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages,
 * "Format text content"); in the default Markdown a typed `[x](https://evil)` would be a live link.
 * What the person typed is cut to ECHO_MAX characters.
 */
import { echo } from '../blocks/format.js';

export function progressText(name: string, subject: string | null): string {
  const what = subject === null ? null : echo(subject);
  if (name === 'why-slow') return `Diagnosing ${what ?? 'the pipeline'}…`;
  return `Working on ${echo(name, 40)}${what ? ` ${what}` : ''}…`;
}

/** The activity fields of that message. */
export function progressMessage(name: string, subject: string | null): { text: string; textFormat: 'plain' } {
  return { text: progressText(name, subject), textFormat: 'plain' };
}
