/** Small helpers shared by the Block Kit renderers. */
import type { Block, ButtonElement, ButtonValue, ContextBlock, HeaderBlock, Mrkdwn, SectionBlock } from './types.js';
import { SLACK_LIMITS } from './limits.js';

/** Slack mrkdwn control characters (https://docs.slack.dev/messaging/formatting-message-text#escaping). */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts to `max` characters, ending with an ellipsis when something was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** 1830 → "30m 30s"; 45 → "45s"; 7260 → "2h 1m". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'n/a';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h ${m}m`;
  return rest ? `${m}m ${rest}s` : `${m}m`;
}

export function num(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return (Math.round(value * 100) / 100).toLocaleString('en-US');
}

export function withUnit(value: number | string, unit: string): string {
  if (!unit) return num(value);
  if (unit === '%') return `${num(value)}%`;
  if (unit === 's' && typeof value === 'number') return duration(value);
  return `${num(value)} ${unit}`;
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

/** Fenced code for mrkdwn; backticks inside would end the fence, so they become primes. */
export function code(text: string): string {
  return `\`\`\`${text.replace(/```/g, "'''")}\`\`\``;
}

export function inlineCode(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
