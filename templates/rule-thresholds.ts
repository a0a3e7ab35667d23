/**
 * A rule's default thresholds in words (issue 17 item 8: `rules` shows what each check compares
 * against). The rules' `defaults` are named by one convention — a `min`/`max`/`critical` prefix,
 * a unit suffix (`Share`, `Utilization` 0–1; `Cpu`, `Mem`, `Wait`, `Percent` 0–100; `S`, `Ms`,
 * `Minutes`; `Bytes`, `BytesPerWorkerMinute`; `Ratio`) — so one reader turns `minPinnedShare: 0.5`
 * into "pinned share ≥ 50%" for every rule, and a new rule's thresholds show without new code.
 */
import { formatBytes, formatDuration, formatNumber, formatRatio } from './format.js';

/** camelCase → lower-case words, with CPU and its kin spelled as people write them */
function words(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\bcpu\b/g, 'CPU')
    .replace(/\bio\b/g, 'I/O')
    .replace(/\bmem\b/g, 'memory')
    .replace(/\bnet\b/g, 'network')
    .trim();
}

const UNITS: { suffix: RegExp; show: (v: number) => string; keep?: boolean; label?: string }[] = [
  { suffix: /BytesPerWorkerMinute$/, show: (v) => `${formatBytes(v)} per worker-minute` },
  { suffix: /Bytes$/, show: (v) => formatBytes(v) },
  { suffix: /Ms$/, show: (v) => formatDuration(v / 1000) },
  // executor-minutes are a count of executor time, not a span
  { suffix: /ExecutorMinutes$/, show: (v) => `${formatNumber(v)} executor-minutes`, label: 'executor time' },
  { suffix: /Minutes$/, show: (v) => formatDuration(v * 60) },
  { suffix: /S$/, show: (v) => formatDuration(v) },
  { suffix: /(Share|Utilization|Drop|ShareOfRunning)$/, show: (v) => `${formatNumber(Math.round(v * 1000) / 10)}%`, keep: true },
  { suffix: /Percent$/, show: (v) => `${formatNumber(v)}%` },
  { suffix: /(Cpu|Mem|Wait|Swap)$/, show: (v) => `${formatNumber(v)}%`, keep: true },
  { suffix: /(Ratio|Growth)$/, show: (v) => formatRatio(v), keep: true },
];

/** One default as "pinned share ≥ 50%"; lists as "join operators: SortMergeJoin, ShuffledHashJoin". */
export function thresholdText(key: string, value: unknown): string {
  if (Array.isArray(value)) return `${words(key)}: ${value.map(String).join(', ')}`;
  if (typeof value !== 'number') return `${words(key)}: ${String(value)}`;
  // the prefix ends where a capital starts the rest: minPinnedShare → min + PinnedShare
  const [, prefix, rest] = /^(min|max|critical)?([A-Z].*)$/.exec(key) ?? [key, undefined, key];
  const name = rest ?? key;
  const unit = UNITS.find((u) => u.suffix.test(name));
  const label = unit?.label ?? ((unit && !unit.keep ? words(name.replace(unit.suffix, '')) : '') || words(name));
  const shown = unit ? unit.show(value) : formatNumber(value);
  if (prefix === 'min') return `${label} ≥ ${shown}`;
  if (prefix === 'max') return `${label} ≤ ${shown}`;
  if (prefix === 'critical') return `critical at ${label} ${shown}`;
  return `${label} ${shown}`;
}

/** Every default of a rule, in its own order; none for a rule without thresholds. */
export function thresholdLines(defaults: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(defaults).map(([k, v]) => thresholdText(k, v));
}
