/** Small builders shared by the Adaptive Card renderers. Adaptive Card text is a Markdown subset, so
 * characters that would start emphasis or a link are escaped where the text is not ours. */
import type { AdaptiveCard, CardElement, Container, Fact, FactSet, TextBlock } from './types.js';

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/**
 * Teams rejects a message over about 28 KB including the card (Teams platform docs, "format your bot
 * messages"); our cards stay under this many bytes of JSON, leaving room for the activity envelope.
 */
export const TEAMS_CARD_BUDGET = 24_000;
const MAX_TEXT = 1500;
const MAX_FACT_TITLE = 120;
const MAX_FACT_VALUE = 400;
const MAX_FACTS = 12;

export function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

export function cardBytes(c: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(c), 'utf8');
}

/**
 * Last resort for any card still over the budget: drops body elements from the end (the heading
 * stays) and says so. Renderers first shorten what they know how to shorten (e.g. findings).
 */
export function fitCard(c: AdaptiveCard, budget = TEAMS_CARD_BUDGET): AdaptiveCard {
  if (cardBytes(c) <= budget) return c;
  const body = [...c.body];
  const note = subtle('(cut to fit a Teams message; the CLI shows everything)');
  while (body.length > 1 && cardBytes({ ...c, body: [...body, note] }) > budget) body.pop();
  return { ...c, body: [...body, note] };
}

/** Markdown control characters Teams honours in TextBlock (https://learn.microsoft.com/adaptive-cards/authoring-cards/text-features). */
export function md(text: string): string {
  return text.replace(/([\\*_[\]`~])/g, '\\$1');
}

export function card(body: CardElement[], fallbackText: string, actions: AdaptiveCard['actions'] = []): AdaptiveCard {
  const c: AdaptiveCard = { $schema: CARD_SCHEMA, type: 'AdaptiveCard', version: '1.5', body, fallbackText, msteams: { width: 'Full' } };
  if (actions.length) c.actions = actions;
  return c;
}

export function heading(text: string): TextBlock {
  return { type: 'TextBlock', text: clip(text, 200), size: 'large', weight: 'bolder', wrap: true, style: 'heading' };
}

export function text(value: string, o: Partial<Omit<TextBlock, 'type' | 'text'>> = {}): TextBlock {
  return { type: 'TextBlock', text: clip(value, MAX_TEXT) || ' ', wrap: true, ...o };
}

export function subtle(value: string): TextBlock {
  return text(value, { isSubtle: true, size: 'small', spacing: 'small' });
}

export function mono(value: string): TextBlock {
  return text(value, { fontType: 'monospace', spacing: 'small' });
}

export function facts(list: Fact[]): FactSet {
  const shown = list.slice(0, MAX_FACTS).map((f) => ({ title: clip(f.title, MAX_FACT_TITLE), value: clip(f.value, MAX_FACT_VALUE) }));
  if (list.length > MAX_FACTS) shown.push({ title: '…', value: `${list.length - MAX_FACTS} more` });
  return { type: 'FactSet', facts: shown };
}

export function section(items: CardElement[], o: Partial<Omit<Container, 'type' | 'items'>> = {}): Container {
  return { type: 'Container', items, spacing: 'medium', ...o };
}
