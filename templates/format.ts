/**
 * Pure text helpers for every template: durations, bytes, numbers, word wrap, terminal colour.
 */
export { formatDuration, formatNumber, formatRatio } from '../src/diagnosis/format.js';
import { formatDuration, formatNumber, formatRatio } from '../src/diagnosis/format.js';

export interface TextOptions {
  width: number;
  color: boolean;
}

export const DEFAULT_TEXT_OPTIONS: TextOptions = { width: 80, color: false };

/** 1536 → "1.5 KiB" (binary units, as Spark and Databricks report memory). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const sign = bytes < 0 ? '-' : '';
  return `${sign}${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** Display width of a string, ignoring ANSI colour codes. */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return [...s.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/**
 * Word-wraps `text` to `width` columns; continuation lines get `indent` (the first line `firstIndent`).
 * Spacing inside a line is kept (for aligned columns); words longer than a line are cut.
 */
export function wrap(text: string, width: number, indent = '', firstIndent = indent): string[] {
  const lines: string[] = [];
  let lead = firstIndent;
  for (const paragraph of text.split('\n')) {
    const pieces = paragraph.match(/\s*\S+/g) ?? [];
    let line = lead;
    let hasWord = false;
    const push = () => {
      lines.push(line.replace(/\s+$/, ''));
      line = indent;
      hasWord = false;
    };
    for (const raw of pieces) {
      let piece = raw;
      if (hasWord && visibleLength(line) + visibleLength(piece) > width) {
        push();
        piece = piece.trimStart();
      }
      // a word longer than the room left on an empty line is cut
      while (visibleLength(line) + visibleLength(piece) > width) {
        const take = Math.max(1, width - visibleLength(line));
        const chars = [...piece];
        line += chars.slice(0, take).join('');
        piece = chars.slice(take).join('').trimStart();
        hasWord = true;
        push();
      }
      if (piece) {
        line += piece;
        hasWord = true;
      }
    }
    if (hasWord || pieces.length === 0) push();
    lead = indent;
  }
  return lines;
}

const CODES = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 } as const;
export type Style = keyof typeof CODES;

export function paint(s: string, style: Style, color: boolean): string {
  return color ? `\u001b[${CODES[style]}m${s}\u001b[0m` : s;
}

/** Pads to a width (for small tables). */
export function pad(s: string, n: number): string {
  const len = visibleLength(s);
  return len >= n ? s : s + ' '.repeat(n - len);
}

/** Cuts a string to at most n visible characters with an ellipsis. */
export function truncate(s: string, n: number): string {
  return [...s].length <= n ? s : `${[...s].slice(0, Math.max(0, n - 1)).join('')}…`;
}

/**
 * An evidence value in its unit, the same on every surface (issue 17 item 9): durations in h m s
 * (`s` and `min`), bytes in IEC units, ratios as "2.13×", counts with separators.
 */
export function evidenceValue(value: number | string, unit: string): string {
  if (typeof value !== 'number') return unit && unit !== '%' ? `${value} ${unit}` : `${value}${unit}`;
  switch (unit) {
    case '':
      return formatNumber(value);
    case '%':
      return `${formatNumber(value)}%`;
    case 's':
      return formatDuration(value);
    case 'min':
      return formatDuration(value * 60);
    case 'bytes':
      return formatBytes(value);
    case 'bytes/min':
      return `${formatBytes(value)}/min`;
    case '×':
    case 'x':
      return formatRatio(value);
    default:
      return `${formatNumber(value)} ${unit}`;
  }
}

/**
 * One evidence item as a comparison where a threshold is a setting ("photon is off" rather than
 * "photon: false (threshold true)"); else "metric: value (threshold …)".
 */
export function evidenceText(e: { metric: string; value: number | string; unit: string; threshold: number | string | null }): { metric: string; text: string } {
  const onOff = (v: unknown) => (v === true || v === 'true' ? 'on' : v === false || v === 'false' ? 'off' : null);
  const state = onOff(e.value);
  if (state !== null && (e.threshold === null || onOff(e.threshold) !== null)) return { metric: e.metric, text: `is ${state}` };
  return { metric: e.metric, text: `${evidenceValue(e.value, e.unit)}${e.threshold === null ? '' : ` (threshold ${evidenceValue(e.threshold, e.unit)})`}` };
}
