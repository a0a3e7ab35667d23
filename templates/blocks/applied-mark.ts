/**
 * "✓ Applied by @x at 14:02" on the message a fix was applied from (issue 17 item 3): the Apply
 * button beside that fix gives way to the mark, edited in place (chat.update), so the message says
 * what was done and the button cannot be pressed twice. The time is Slack's date token, which each
 * reader's client shows in their own time zone (https://docs.slack.dev/messaging/formatting-message-text#date-formatting);
 * the fallback after `|` is UTC.
 */
import { z } from 'zod';
import type { Block } from './types.js';
import { APPLY_ACTION_ID } from './diagnosis.js';
import { context, mention } from './format.js';

/** `<!date^1764770520^{date_short_pretty} at {time}|2026-12-03 14:02 UTC>` */
export function slackDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC>`;
}

export function appliedMarkText(userId: string, at: number): string {
  return `:white_check_mark: Applied by ${mention(userId)} ${slackDate(at)}`;
}

const ApplyAccessory = z.object({ type: z.literal('button'), action_id: z.literal(APPLY_ACTION_ID), value: z.string() });
const ApplyValue = z.object({ recommendation_id: z.string() });

function recommendationOf(block: unknown): string | null {
  if (block === null || typeof block !== 'object') return null;
  const b = block as { type?: unknown; accessory?: unknown };
  if (b.type !== 'section') return null;
  const acc = ApplyAccessory.safeParse(b.accessory);
  if (!acc.success) return null;
  try {
    const v = ApplyValue.safeParse(JSON.parse(acc.data.value));
    return v.success ? v.data.recommendation_id : null;
  } catch {
    return null;
  }
}

/**
 * The message's blocks with the Apply button of `recommendationId` replaced by the mark (a context
 * block right under the fix); null when the message has no such button (already marked, or another
 * message), so nothing is edited.
 */
export function markApplied(blocks: readonly unknown[], recommendationId: string, mark: string): Block[] | null {
  let found = false;
  const out: Block[] = [];
  for (const b of blocks) {
    if (recommendationOf(b) === recommendationId) {
      found = true;
      const { accessory: _a, ...rest } = b as Record<string, unknown>;
      out.push(rest as unknown as Block, context(mark));
    } else {
      out.push(b as Block);
    }
  }
  return found ? out : null;
}
