/**
 * Block Kit limits one Slack message must respect. Slack does not validate them client-side:
 * a violation comes back as `invalid_blocks` or `msg_blocks_too_long`.
 *
 * Sources:
 * - https://docs.slack.dev/reference/block-kit/blocks (50 blocks per message; section text 3000,
 *   fields 10 × 2000; header 150; context 10 elements; actions 25 elements)
 * - https://docs.slack.dev/reference/block-kit/block-elements/button-element (text 75, value 2000, url 3000)
 * - the same numbers as JSDoc in @slack/types (dist/block-kit/blocks.d.ts, block-elements.d.ts)
 * - the undocumented cumulative text limit: slackapi/bolt-js#2509 ("12,000 text characters with a
 *   buffer for block containers") and #2867 (rejected at 11,341 measured characters), so we budget 11,000.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  /** cumulative characters of text over all blocks of one message (see above) */
  messageText: 11_000,
  /** top-level `text` (notification fallback): Slack advises ≤ 4,000 */
  fallbackText: 3000,
} as const;
