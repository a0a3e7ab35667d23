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

const isApplyOf = (a: unknown, recommendationId: string) => {
  const data = (a as { data?: { action?: unknown; recommendation_id?: unknown } } | null)?.data;
  return data?.action === APPLY_ACTION_ID && data.recommendation_id === recommendationId;
};

/**
 * The card with the Apply button of `recommendationId` replaced by the mark; null when the card has
 * no such button (nothing to edit).
 */
export function markAppliedCard(card: AdaptiveCard | Record<string, unknown>, recommendationId: string, who: string, at: number): AdaptiveCard | null {
  let found = false;
  const walk = (items: unknown): unknown =>
    Array.isArray(items)
      ? items.map((el: unknown) => {
          if (!el || typeof el !== 'object') return el;
          const n = el as Node;
          if (n.type === 'ActionSet' && Array.isArray(n.actions) && n.actions.some((a) => isApplyOf(a, recommendationId))) {
            found = true;
            return plain(appliedMarkText(who, at), { color: 'good', weight: 'bolder', spacing: 'small' });
          }
          return 'items' in n ? { ...n, items: walk(n.items) } : n;
        })
      : items;
  const body = walk((card as Node).body);
  return found ? ({ ...(card as object), body } as AdaptiveCard) : null;
}
