/** Small builders shared by the Adaptive Card renderers. Adaptive Card text is a Markdown subset, so
 * characters that would start emphasis or a link are escaped where the text is not ours. */
import type { AdaptiveCard, CardElement, Container, Fact, FactSet, TextBlock } from './types.js';

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

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
  return { type: 'TextBlock', text, size: 'large', weight: 'bolder', wrap: true, style: 'heading' };
}

export function text(value: string, o: Partial<Omit<TextBlock, 'type' | 'text'>> = {}): TextBlock {
  return { type: 'TextBlock', text: value || ' ', wrap: true, ...o };
}

export function subtle(value: string): TextBlock {
  return text(value, { isSubtle: true, size: 'small', spacing: 'small' });
}

export function mono(value: string): TextBlock {
  return text(value, { fontType: 'monospace', spacing: 'small' });
}

export function facts(list: Fact[]): FactSet {
  return { type: 'FactSet', facts: list };
}

export function section(items: CardElement[], o: Partial<Omit<Container, 'type' | 'items'>> = {}): Container {
  return { type: 'Container', items, spacing: 'medium', ...o };
}
