/** Small helpers shared by the Block Kit renderers. */
import type { Block, ButtonElement, ButtonValue, ContextBlock, HeaderBlock, Mrkdwn, SectionBlock } from './types.js';
import { SLACK_LIMITS } from './limits.js';
import { formatDuration } from '../../src/diagnosis/format.js';
import { evidenceValue } from '../format.js';

/** Slack mrkdwn control characters (https://docs.slack.dev/messaging/formatting-message-text#escaping). */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts to `max` characters, ending with an ellipsis when something was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  // never end inside one of Slack's escapes (&amp; &lt; &gt;): the message would show "&am…"
  const open = text.lastIndexOf('&', cut - 1);
  const entity = open >= 0 ? /^&(?:amp|lt|gt);/.exec(text.slice(open, open + 5)) : null;
  if (entity && open + entity[0].length > cut) cut = open;
  return `${text.slice(0, cut)}…`;
}

/** 1830 → "30m 30s"; 45 → "45s"; 7260 → "2h 1m". */
/** the one duration wording (src/diagnosis/format.ts), 'n/a' where Block Kit has nothing to show */
export function duration(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined || !Number.isFinite(seconds) ? 'n/a' : formatDuration(seconds);
}

export function num(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return (Math.round(value * 100) / 100).toLocaleString('en-US');
}

export function withUnit(value: number | string, unit: string): string {
  return evidenceValue(value, unit);
}

export const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text });

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText), emoji: true } };
}

export function section(text: string, fields?: string[]): SectionBlock {
  const block: SectionBlock = { type: 'section', text: mrkdwn(text) };
  if (fields && fields.length) block.fields = fields.map(mrkdwn);
  return block;
}

export function fieldsSection(fields: string[]): SectionBlock {
  return { type: 'section', fields: fields.map(mrkdwn) };
}

export function context(...texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.map(mrkdwn) };
}

export const divider = (): Block => ({ type: 'divider' });

export function button(text: string, actionId: string, value?: ButtonValue, style?: 'primary'): ButtonElement {
  const b: ButtonElement = { type: 'button', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.buttonText) }, action_id: actionId };
  if (value) b.value = encodeButtonValue(value);
  if (style) b.style = style;
  return b;
}

export function encodeButtonValue(value: ButtonValue): string {
  const json = JSON.stringify({ pipeline_id: value.pipeline_id, update_id: value.update_id });
  if (json.length > SLACK_LIMITS.buttonValue) throw new RangeError('button value over 2000 characters');
  return json;
}

/**
 * Fenced code for mrkdwn; backticks inside would end the fence, so they become primes. The text is
 * data, escaped here: Slack parses &, < and > inside code too, so `<catalog>` would vanish.
 */
export function code(text: string): string {
  return `\`\`\`${esc(text.replace(/```/g, "'''"))}\`\`\``;
}

/** Inline code for mrkdwn; the text is data, escaped here (pass it unescaped). */
export function inlineCode(text: string): string {
  return `\`${esc(text.replace(/`/g, "'"))}\``;
}

/** Slack user ids as Slack's own payloads carry them (U…, W… on Enterprise Grid). */
const USER_ID = /^[UW][A-Z0-9_]{1,30}$/;

/**
 * A mention we write ourselves ("Asked by", "Applied by"), from an id out of Slack's own payload.
 * Anything that is not a user id is shown as escaped text, never parsed as `<!channel>` or a link.
 */
export function mention(userId: string): string {
  return USER_ID.test(userId) ? `<@${userId}>` : esc(userId);
}

/**
 * A state note the alert poller wrote ("muted by <@U1> until …", "fix applied by <@U1>: diff"):
 * escaped whole; only the one mention in its lead ("… by <@U…>", before any data) becomes a
 * mention again. A `<@U…>` anywhere else (a diff value, a name) stays text.
 */
export function escKeepMentions(text: string): string {
  return esc(text).replace(/^((?:[a-z ]{1,24} )?by )&lt;@([UW][A-Z0-9_]{1,30})&gt;/, '$1<@$2>');
}

/**
 * A message's top-level `text` (the notification and screen-reader fallback of a message with
 * blocks): Slack parses it as mrkdwn too ("Formatting text for app surfaces", escaping:
 * https://docs.slack.dev/messaging/formatting-message-text#escaping), so every character of data
 * in it is escaped, and no `<@U…>` in data becomes a mention. A template that names a user in
 * it writes `${mention(id)} ${fallbackText(rest)}`. Cut after escaping (never inside an entity) to
 * Slack's advised length.
 */
export function fallbackText(text: string): string {
  return truncate(esc(text), SLACK_LIMITS.fallbackText);
}

export { echo, ECHO_MAX } from '../../src/util/echo.js';
