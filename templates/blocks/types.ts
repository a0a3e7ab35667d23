/**
 * The subset of Block Kit this project renders. Structurally compatible with `KnownBlock` in
 * @slack/types, so a payload can be handed to `chat.postMessage` as is.
 */
export interface PlainText { type: 'plain_text'; text: string; emoji?: boolean }
export interface Mrkdwn { type: 'mrkdwn'; text: string }
export type TextObject = PlainText | Mrkdwn;

export interface ButtonElement {
  type: 'button';
  text: PlainText;
  action_id: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}
export interface ImageElement { type: 'image'; image_url: string; alt_text: string }

export interface HeaderBlock { type: 'header'; block_id?: string; text: PlainText }
export interface SectionBlock { type: 'section'; block_id?: string; text?: Mrkdwn; fields?: Mrkdwn[]; accessory?: ButtonElement }
export interface ContextBlock { type: 'context'; block_id?: string; elements: (TextObject | ImageElement)[] }
export interface DividerBlock { type: 'divider'; block_id?: string }
export interface ActionsBlock { type: 'actions'; block_id?: string; elements: ButtonElement[] }
export interface ImageBlock { type: 'image'; block_id?: string; image_url: string; alt_text: string; title?: PlainText }

export type Block = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock | ImageBlock;

/** What every renderer returns: a plain-text fallback (always) and the blocks. */
export interface SlackPayload {
  text: string;
  blocks: Block[];
}

/** Carried in every button's `value` so an action can find the update again. */
export interface ButtonValue {
  pipeline_id: string;
  update_id: string | null;
  /** the diagnosis the message shows (Re-diagnose says what changed since): its verdict and time (epoch s) */
  verdict?: string;
  at?: number;
}
