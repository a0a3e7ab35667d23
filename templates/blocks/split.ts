/**
 * Keeps every message within Slack's limits (limits.ts): oversized blocks are cut into several
 * blocks, and blocks that do not fit one message move into follow-up messages, which the caller
 * posts as thread replies under the first. The first actions block (the buttons) always stays in
 * the first message. Nothing is dropped except a button whose value or url is over its limit.
 */
import type { ActionsBlock, Block, ContextBlock, Mrkdwn, SectionBlock, SlackPayload } from './types.js';
import { SLACK_LIMITS as L } from './limits.js';
import { truncate } from './format.js';

const FENCE = '```';
/** fields in one section: Slack allows 10 × 2000 chars; a smaller total keeps one block well under the message budget */
const FIELDS_SECTION_BUDGET = 6000;

export function blockTextLength(block: Block): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length;
    case 'section':
      return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0) + (block.accessory?.text.text.length ?? 0);
    case 'context':
      return block.elements.reduce((n, e) => n + ('text' in e ? e.text.length : e.alt_text.length), 0);
    case 'actions':
      return block.elements.reduce((n, e) => n + e.text.text.length, 0);
    case 'image':
      return block.alt_text.length + (block.title?.text.length ?? 0);
    case 'divider':
      return 0;
  }
}

export function messageTextLength(payload: SlackPayload): number {
  return payload.text.length + payload.blocks.reduce((n, b) => n + blockTextLength(b), 0);
}

/**
 * A line longer than `room` in pieces of at most `room`, never cutting one of Slack's escapes
 * (&amp; &lt; &gt;) in two: half an entity would show as "&l" and a bare "t;" after it.
 */
function hardCuts(line: string, room: number): string[] {
  const out: string[] = [];
  let i = 0;
  do {
    let end = Math.min(line.length, i + room);
    if (end < line.length) {
      const amp = line.lastIndexOf('&', end - 1);
      const entity = amp >= i ? /^&(?:amp|lt|gt);/.exec(line.slice(amp, amp + 5)) : null;
      if (entity && amp + entity[0].length > end && amp > i) end = amp;
    }
    out.push(line.slice(i, end));
    i = end;
  } while (i < line.length);
  return out;
}

/** Cuts mrkdwn into chunks of ≤ max chars at line breaks, closing and reopening ``` fences across cuts. */
export function splitMrkdwn(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const room = max - 2 * (FENCE.length + 1); // a reopened fence at the start and a closing one at the end
  const chunks: string[] = [];
  let current = '';
  let inFence = false;
  const flush = () => {
    if (!current) return;
    chunks.push(inFence ? `${current}\n${FENCE}` : current);
    current = inFence ? `${FENCE}\n` : '';
  };
  const pieces = text.split('\n').flatMap((line) => hardCuts(line, room));
  for (const piece of pieces) {
    const candidate = current && !current.endsWith('\n') ? `${current}\n${piece}` : `${current}${piece}`;
    if (candidate.length > room && current.trim() && current !== `${FENCE}\n`) {
      flush();
      current = `${current}${piece}`;
    } else {
      current = candidate;
    }
    const fences = piece.split(FENCE).length - 1;
    if (fences % 2 === 1) inFence = !inFence;
  }
  if (current) chunks.push(current);
  return chunks;
}

function normalizeSection(block: SectionBlock): Block[] {
  const out: Block[] = [];
  const texts = block.text ? splitMrkdwn(block.text.text, L.sectionText) : [];
  const fields = (block.fields ?? []).map((f): Mrkdwn => ({ type: 'mrkdwn', text: truncate(f.text, L.fieldText) }));
  const groups: Mrkdwn[][] = [];
  let group: Mrkdwn[] = [];
  let size = 0;
  for (const f of fields) {
    if (group.length === L.sectionFields || (group.length && size + f.text.length > FIELDS_SECTION_BUDGET)) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(f);
    size += f.text.length;
  }
  if (group.length) groups.push(group);
  texts.forEach((t, i) => {
    const s: SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: t } };
    if (i === 0 && block.block_id) s.block_id = block.block_id;
    // a button beside the section (Apply) stays with its first piece
    if (i === 0 && block.accessory) s.accessory = block.accessory;
    // the first field group stays with the last piece of text (title + its evidence)
    if (i === texts.length - 1 && groups.length && (t.length + groups[0]!.reduce((n, f) => n + f.text.length, 0)) <= FIELDS_SECTION_BUDGET) {
      s.fields = groups.shift();
    }
    out.push(s);
  });
  for (const g of groups) out.push({ type: 'section', fields: g });
  return out.length ? out : [{ type: 'section', text: { type: 'mrkdwn', text: ' ' } }];
}

function normalizeContext(block: ContextBlock): Block[] {
  const elements = block.elements.map((e) => ('text' in e ? { ...e, text: truncate(e.text, L.sectionText) } : e));
  const out: Block[] = [];
  for (let i = 0; i < elements.length; i += L.contextElements) {
    const c: ContextBlock = { type: 'context', elements: elements.slice(i, i + L.contextElements) };
    if (i === 0 && block.block_id) c.block_id = block.block_id;
    out.push(c);
  }
  return out;
}

function normalizeActions(block: ActionsBlock): Block[] {
  const elements = block.elements
    .filter((b) => (b.value === undefined || b.value.length <= L.buttonValue) && (b.url === undefined || b.url.length <= L.buttonUrl))
    .map((b) => ({ ...b, text: { ...b.text, text: truncate(b.text.text, L.buttonText) }, action_id: b.action_id.slice(0, L.actionId) }));
  const out: Block[] = [];
  for (let i = 0; i < elements.length; i += L.actionsElements) {
    const a: ActionsBlock = { type: 'actions', elements: elements.slice(i, i + L.actionsElements) };
    if (i === 0 && block.block_id) a.block_id = block.block_id;
    out.push(a);
  }
  return out;
}

/** One block → one or more blocks that each respect the per-block limits. */
export function normalizeBlock(block: Block): Block[] {
  switch (block.type) {
    case 'header':
      return [{ ...block, text: { ...block.text, text: truncate(block.text.text, L.headerText) } }];
    case 'section':
      return normalizeSection(block);
    case 'context':
      return normalizeContext(block);
    case 'actions':
      return normalizeActions(block);
    case 'image':
      return [{ ...block, alt_text: truncate(block.alt_text, 2000) }];
    case 'divider':
      return [block];
  }
}

/**
 * Splits a payload into messages that each respect every limit. The first is the message itself;
 * the rest are meant as thread replies under it, in order.
 */
export function splitForSlack(payload: SlackPayload, limits: { blocks?: number; text?: number } = {}): SlackPayload[] {
  const maxBlocks = limits.blocks ?? L.blocksPerMessage;
  const budget = limits.text ?? L.messageText;
  const normalized = payload.blocks.flatMap(normalizeBlock);
  const actionsIndex = normalized.findIndex((b) => b.type === 'actions');
  const pinned = actionsIndex >= 0 ? normalized.splice(actionsIndex, 1)[0] : undefined;

  const mainText = truncate(payload.text, L.fallbackText);
  const firstLine = truncate(payload.text.split('\n')[0] ?? '', 200);
  const pages: Block[][] = [];
  let page: Block[] = [];
  let used = mainText.length + (pinned ? blockTextLength(pinned) : 0);
  let room = maxBlocks - (pinned ? 1 : 0);
  for (const block of normalized) {
    const size = blockTextLength(block);
    if (page.length && (page.length + 1 > room || used + size > budget)) {
      pages.push(page);
      page = [];
      used = firstLine.length + 40;
      room = maxBlocks;
    }
    page.push(block);
    used += size;
  }
  pages.push(page);
  if (pinned) pages[0]!.push(pinned);
  if (pages.length === 1) return [{ text: mainText, blocks: pages[0]! }];
  return pages.map((blocks, i) => ({
    text: i === 0 ? mainText : `${firstLine} (continued, ${i + 1}/${pages.length})`,
    blocks,
  }));
}

/** Every limit a payload breaks, as readable strings; empty when Slack will accept it. */
export function limitViolations(payload: SlackPayload): string[] {
  const v: string[] = [];
  if (!payload.text) v.push('missing fallback text');
  if (payload.text.length > L.fallbackText) v.push(`fallback text ${payload.text.length} > ${L.fallbackText}`);
  if (payload.blocks.length > L.blocksPerMessage) v.push(`${payload.blocks.length} blocks > ${L.blocksPerMessage}`);
  const total = messageTextLength(payload);
  if (total > L.messageText) v.push(`message text ${total} > ${L.messageText}`);
  payload.blocks.forEach((b, i) => {
    const at = `block ${i} (${b.type})`;
    if (b.type === 'header' && b.text.text.length > L.headerText) v.push(`${at}: header ${b.text.text.length} > ${L.headerText}`);
    if (b.type === 'section') {
      if (!b.text && !b.fields?.length) v.push(`${at}: empty section`);
      if (b.text && (b.text.text.length > L.sectionText || b.text.text.length === 0)) v.push(`${at}: text ${b.text.text.length} not in 1..${L.sectionText}`);
      if ((b.fields?.length ?? 0) > L.sectionFields) v.push(`${at}: ${b.fields!.length} fields > ${L.sectionFields}`);
      for (const f of b.fields ?? []) if (f.text.length > L.fieldText) v.push(`${at}: field ${f.text.length} > ${L.fieldText}`);
    }
    if (b.type === 'context' && b.elements.length > L.contextElements) v.push(`${at}: ${b.elements.length} elements > ${L.contextElements}`);
    if (b.type === 'actions') {
      if (b.elements.length > L.actionsElements) v.push(`${at}: ${b.elements.length} elements > ${L.actionsElements}`);
      for (const e of b.elements) {
        if (e.text.text.length > L.buttonText) v.push(`${at}: button text ${e.text.text.length} > ${L.buttonText}`);
        if ((e.value?.length ?? 0) > L.buttonValue) v.push(`${at}: button value ${e.value!.length} > ${L.buttonValue}`);
      }
    }
  });
  return v;
}
