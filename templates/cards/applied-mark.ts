/**
 * "✓ Applied by Ana Lopez at 2026-12-03 14:02 UTC" on the Teams card a fix was applied from (issue
 * 17 item 3), as templates/blocks/applied-mark.ts does for Slack: the Apply button of that fix
 * gives way to the mark; the rest of the card is left as it was posted.
 */
import { APPLY_ACTION_ID } from '../blocks/diagnosis.js';
import { plain } from './format.js';
import type { AdaptiveCard } from './types.js';

const fmt = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function appliedMarkText(who: string, at: number): string {
  return `✓ Applied by ${who.slice(0, 80)} at ${fmt(at)}`;
}

type Node = Record<string, unknown>;

/** an Apply button, of `recommendationId` when given */
const isApply = (a: unknown, recommendationId?: string) => {
  const data = (a as { data?: { action?: unknown; recommendation_id?: unknown } } | null)?.data;
  return data?.action === APPLY_ACTION_ID && (recommendationId === undefined || data.recommendation_id === recommendationId);
};

/**
 * The card's body with each ActionSet holding a matching Apply replaced by `replace()`, and whether
 * there was one. The card's other elements are left as they are.
 */
function replaceApplySets(card: AdaptiveCard | Record<string, unknown>, recommendationId: string | undefined, replace: () => unknown): { body: unknown; found: boolean } {
  let found = false;
  const walk = (items: unknown): unknown =>
    Array.isArray(items)
      ? items.map((el: unknown) => {
          if (!el || typeof el !== 'object') return el;
          const n = el as Node;
          if (n.type === 'ActionSet' && Array.isArray(n.actions) && n.actions.some((a) => isApply(a, recommendationId))) {
            found = true;
            return replace();
          }
          return 'items' in n ? { ...n, items: walk(n.items) } : n;
        })
      : items;
  return { body: walk((card as Node).body), found };
}

/** True when the card holds an Apply button: a card worth keeping for its applied mark. */
export function hasApplyButton(card: AdaptiveCard): boolean {
  return replaceApplySets(card, undefined, () => null).found;
}

/**
 * The card with the Apply button of `recommendationId` replaced by the mark; null when the card has
 * no such button (nothing to edit).
 */
export function markAppliedCard(card: AdaptiveCard | Record<string, unknown>, recommendationId: string, who: string, at: number): AdaptiveCard | null {
  const { body, found } = replaceApplySets(card, recommendationId, () => plain(appliedMarkText(who, at), { color: 'good', weight: 'bolder', spacing: 'small' }));
  return found ? ({ ...(card as object), body } as AdaptiveCard) : null;
}
