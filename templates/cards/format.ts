/**
 * Small builders shared by the Adaptive Card renderers.
 *
 * Markdown: Teams renders only a subset in a TextBlock (and Fact title/value): **bold**, _italic_,
 * "- " and "1. " lists and [links](url); headings, tables, images, preformatted text and block
 * quotes are not supported, and neither are backslash escapes or `code` spans, which show as typed
 * (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format, "Format
 * cards with Markdown"; learn.microsoft.com/adaptive-cards/authoring-cards/text-features). So a
 * TextBlock carries only our own text with at most that subset, and anything that is not ours
 * (pipeline and flow names, messages, summaries) goes into a RichTextBlock as TextRuns, whose text
 * is never Markdown ("Text to display. Markdown is not supported.",
 * learn.microsoft.com/adaptive-cards/schema-explorer/text-run): `rt` builds those runs, bold and
 * monospace (instead of a code span) from the template's own ** and ` marks only.
 */
import type { AdaptiveCard, CardElement, ColumnSet, Container, Fact, FactSet, RichTextBlock, TextBlock, TextRun } from './types.js';

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/**
 * Teams rejects a bot message over its size limit with 413 `MessageSizeTooBig`, counting "the entire
 * message payload encoded as UTF-16" (Teams platform docs, "Format your bot messages": 100 KB now,
 * 40 KB until 2025, ~28 KB before that). Our cards stay under both budgets below, so the whole
 * activity fits the oldest limit (28 KB as UTF-8, 40 KB as UTF-16) with room for the envelope.
 */
export const TEAMS_CARD_BUDGET = 24_000;
/** UTF-16 bytes of the card's JSON: 40 KiB less 4 KiB for the activity around it */
export const TEAMS_CARD_BUDGET_UTF16 = 36 * 1024;
/** fallbackText: shown by clients that cannot render the card and in notifications; a summary, never a list of everything */
export const MAX_FALLBACK = 1000;
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

/** The card's JSON as Teams counts it: UTF-16, two bytes per code unit. */
export function cardBytesUtf16(c: AdaptiveCard): number {
  return JSON.stringify(c).length * 2;
}

/** Within both budgets (`budget` scales the UTF-16 one alike). */
export function fitsTeams(c: AdaptiveCard, budget = TEAMS_CARD_BUDGET): boolean {
  return cardBytes(c) <= budget && cardBytesUtf16(c) <= Math.floor((TEAMS_CARD_BUDGET_UTF16 * budget) / TEAMS_CARD_BUDGET);
}

/**
 * Last resort for any card still over the budget: drops body elements from the end (the heading
 * stays) and says so. Renderers first shorten what they know how to shorten (e.g. findings).
 */
export function fitCard(c: AdaptiveCard, budget = TEAMS_CARD_BUDGET): AdaptiveCard {
  if (c.fallbackText !== undefined && c.fallbackText.length > MAX_FALLBACK) c = { ...c, fallbackText: clip(c.fallbackText, MAX_FALLBACK) };
  if (fitsTeams(c, budget)) return c;
  const body = [...c.body];
  const note = subtle('(cut to fit a Teams message; the CLI shows everything)');
  while (body.length > 1 && !fitsTeams({ ...c, body: [...body, note] }, budget)) body.pop();
  return { ...c, body: [...body, note] };
}

export type RunStyle = Partial<Omit<TextRun, 'type' | 'text'>>;

/** One run of text as it is: never read as Markdown. */
export function run(value: string, o: RunStyle = {}): TextRun {
  return { type: 'TextRun', text: clip(value, MAX_TEXT), ...o };
}

/**
 * Runs from a template: ** in the template's own text toggles bold, ` toggles monospace (what a
 * code span would have been); interpolated values are plain text in the current style, whatever
 * they contain. rt`**${name}**: ${summary}` is the name in bold and the summary as typed.
 */
export function rt(strings: TemplateStringsArray, ...values: unknown[]): TextRun[] {
  const out: TextRun[] = [];
  let bold = false;
  let mono = false;
  const push = (t: string) => {
    if (!t) return;
    const style: RunStyle = {};
    if (bold) style.weight = 'bolder';
    if (mono) style.fontType = 'monospace';
    const last = out[out.length - 1];
    if (last && last.weight === style.weight && last.fontType === style.fontType) last.text += t;
    else out.push({ type: 'TextRun', text: t, ...style });
  };
  strings.forEach((s, i) => {
    for (const part of s.split(/(\*\*|`)/)) {
      if (part === '**') bold = !bold;
      else if (part === '`') mono = !mono;
      else push(part);
    }
    if (i < values.length) push(String(values[i]));
  });
  return out;
}

/**
 * A RichTextBlock: `o.spacing` / `o.separator` for the block, the rest (color, weight, isSubtle, size,
 * fontType, italic) for every run without its own. At most MAX_TEXT characters in all.
 */
export function line(inlines: readonly (TextRun | string)[], o: RunStyle & { spacing?: RichTextBlock['spacing']; separator?: boolean } = {}): RichTextBlock {
  const { spacing, separator, ...style } = o;
  let left = MAX_TEXT;
  const runs: TextRun[] = [];
  for (const i of inlines) {
    if (left <= 0) break;
    const r = typeof i === 'string' ? { type: 'TextRun' as const, text: i } : i;
    const textOf = r.text.length > left ? clip(r.text, left) : r.text;
    left -= textOf.length;
    if (textOf) runs.push({ ...style, ...r, text: textOf });
  }
  const block: RichTextBlock = { type: 'RichTextBlock', inlines: runs.length ? runs : [{ type: 'TextRun', text: ' ' }] };
  if (spacing) block.spacing = spacing;
  if (separator) block.separator = separator;
  return block;
}

/**
 * Text written for Slack as well (a hint, an error message) whose `code spans` Teams would show
 * with their backticks: each span becomes a monospace run, the rest plain runs; nothing is Markdown.
 */
export function ticks(value: string): TextRun[] {
  return value
    .split(/`([^`\n]+)`/)
    .map((t, i): TextRun => (i % 2 ? { type: 'TextRun', text: t, fontType: 'monospace' } : { type: 'TextRun', text: t }))
    .filter((r) => r.text);
}

/** Text that is not ours (a summary, a message), shown as typed. */
export function plain(value: string, o: Parameters<typeof line>[1] = {}): RichTextBlock {
  return line([value], o);
}

/** A small grey line of runs, like `subtle` for text. */
export function subtleLine(inlines: readonly (TextRun | string)[]): RichTextBlock {
  return line(inlines, { isSubtle: true, size: 'small', spacing: 'small' });
}

export function card(body: CardElement[], fallbackText: string, actions: AdaptiveCard['actions'] = []): AdaptiveCard {
  const c: AdaptiveCard = { $schema: CARD_SCHEMA, type: 'AdaptiveCard', version: '1.5', body, fallbackText: clip(fallbackText, MAX_FALLBACK), msteams: { width: 'Full' } };
  if (actions.length) c.actions = actions;
  return c;
}

/** The card's title. Titles carry pipeline names, so they are a run (no Markdown), large and bold. */
export function heading(value: string): RichTextBlock {
  return line([clip(value, 200)], { size: 'large', weight: 'bolder' });
}

/** Our own text, with at most the Markdown Teams renders (**bold**, "- " lists); never a value that is not ours (use `plain` / `line`). */
export function text(value: string, o: Partial<Omit<TextBlock, 'type' | 'text'>> = {}): TextBlock {
  return { type: 'TextBlock', text: clip(value, MAX_TEXT) || ' ', wrap: true, ...o };
}

/** A small grey line, as typed (no Markdown); subtleLine(rt`…`) for bold or monospace parts. */
export function subtle(value: string): RichTextBlock {
  return subtleLine([value]);
}

/** Monospace, as typed: settings (`spark.sql.shuffle.partitions: 200 → 400`), the phase table. */
export function mono(value: string): RichTextBlock {
  return line([value], { fontType: 'monospace', spacing: 'small' });
}

/** Facts whose titles and values are ours (metric names, numbers): a FactSet, whose title and value Teams reads as Markdown. */
export function facts(list: Fact[]): FactSet {
  const shown = list.slice(0, MAX_FACTS).map((f) => ({ title: clip(f.title, MAX_FACT_TITLE), value: clip(f.value, MAX_FACT_VALUE) }));
  if (list.length > MAX_FACTS) shown.push({ title: '…', value: `${list.length - MAX_FACTS} more` });
  return { type: 'FactSet', facts: shown };
}

/**
 * Facts whose titles or values are not ours (pipeline and flow names, Spark conf keys and values):
 * Fact.title and Fact.value are Markdown in Teams, so these are a two-column table of TextRuns
 * instead, shown as typed. Same limits as `facts`.
 */
export function plainFacts(list: Fact[]): Container {
  const row = (f: Fact): ColumnSet => ({
    type: 'ColumnSet',
    spacing: 'none',
    columns: [
      { type: 'Column', width: 2, items: [line([clip(f.title, MAX_FACT_TITLE)], { weight: 'bolder' })] },
      { type: 'Column', width: 3, items: [line([clip(f.value, MAX_FACT_VALUE)])] },
    ],
  });
  const rows = list.slice(0, MAX_FACTS).map(row);
  if (list.length > MAX_FACTS) rows.push(row({ title: '…', value: `${list.length - MAX_FACTS} more` }));
  return { type: 'Container', spacing: 'small', items: rows };
}

export function section(items: CardElement[], o: Partial<Omit<Container, 'type' | 'items'>> = {}): Container {
  return { type: 'Container', items, spacing: 'medium', ...o };
}
