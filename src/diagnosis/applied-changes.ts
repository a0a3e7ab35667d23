/**
 * Changes dlt-doctor applied (the `applied` rows of the apply audit, src/store/alerts.ts) and the
 * two questions every surface asks about them before advising anything (issue 13 item 6):
 *
 * - `reverses(applied, proposed)`: would this advice undo that change? Same setting (worker
 *   counts are one setting: num_workers, autoscale.max_workers and autoscale.min_workers), and
 *   for counts the opposite direction, for node types back to the old type or another family,
 *   for anything else another value.
 * - `payOff(before, after)`: did the updates since the change do better or worse than the ones
 *   before it, on one per-update measure (cost or time per million output rows)? Only a move
 *   beyond the updates' own spread counts; a near-miss is "no clear change".
 *
 * A reversal is withheld unless the change clearly did not pay off: the bot does not flip-flop on
 * noise, nor recommend undoing what it just did. Pure; the store and the SQL live elsewhere.
 */
import type { Change } from './types.js';
import type { PipelineSpec } from './evidence.js';
import { parseNodeType } from './fixes/compute.js';

export interface AppliedChange {
  /** the apply_audit row id */
  auditId: number;
  pipelineId: string;
  recommendationId: string;
  change: Change;
  /** the setting's value before (the first line of the audited diff), null when unset or unknown */
  before: string | null;
  /** epoch ms */
  appliedAt: number;
  /** the chat user id who confirmed it */
  by: string;
}

/** A change some advice would make: an exact value, or only a direction for counts ("fewer workers"). */
export interface ProposedChange {
  target: Change['target'];
  key: string;
  value?: string;
  direction?: 'up' | 'down';
}

const WORKER_KEYS = new Set(['num_workers', 'autoscale.max_workers', 'autoscale.min_workers']);

/** One name per setting: the worker counts are one setting (apply writes num_workers as the autoscale ceiling). */
function settingOf(target: string, key: string): string {
  return target === 'cluster' && WORKER_KEYS.has(key) ? 'cluster:workers' : `${target}:${key}`;
}

/** "16", "4g", "512m", "1.5" → a number (sizes in bytes); null when not a number. */
function numeric(v: string | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt])?b?\s*$/i.exec(v);
  if (!m) return null;
  const mult = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[(m[2] ?? '').toLowerCase() as 'k' | 'm' | 'g' | 't'] ?? 1;
  return Number(m[1]) * mult;
}

/** up / down for a count or size the change moved; null when it cannot tell. */
export function directionOf(a: AppliedChange): 'up' | 'down' | null {
  const after = numeric(a.change.value);
  const before = numeric(a.before);
  if (after !== null && before !== null && after !== before) return after > before ? 'up' : 'down';
  if (/^(raise|more|larger|increase)-/.test(a.recommendationId)) return 'up';
  if (/^(reduce|fewer|smaller|decrease)-/.test(a.recommendationId)) return 'down';
  return null;
}

const same = (x: string | null | undefined, y: string | null | undefined) => (x ?? '').trim().toLowerCase() === (y ?? '').trim().toLowerCase();

/** Whether `proposed` would undo `applied` (see the module comment). */
export function reverses(applied: AppliedChange, proposed: ProposedChange): boolean {
  if (settingOf(applied.change.target, applied.change.key) !== settingOf(proposed.target, proposed.key)) return false;
  const dir = directionOf(applied);
  const value = numeric(applied.change.value);
  const proposedValue = numeric(proposed.value);
  if (dir !== null && (proposed.direction || (value !== null && proposedValue !== null))) {
    const towards = proposed.direction ?? (proposedValue! > value! ? 'up' : proposedValue! < value! ? 'down' : null);
    return towards !== null && towards !== dir;
  }
  if (proposed.value === undefined) return proposed.direction !== undefined;
  if (same(proposed.value, applied.change.value)) return false;
  // a count or size whose direction is unknown: only going back to the old value undoes it
  if (value !== null && proposedValue !== null) return same(proposed.value, applied.before);
  if (applied.change.key === 'node_type_id' || applied.change.key === 'driver_node_type_id') {
    // a larger node of the same family goes on in the same direction; the old type or another family undoes it
    if (same(proposed.value, applied.before)) return true;
    const a = parseNodeType(applied.change.value);
    const p = parseNodeType(proposed.value);
    return !a || !p || a.family !== p.family;
  }
  return true;
}

/**
 * Whether the pipeline still has what was applied; null when the spec does not say. A change
 * someone has since replaced by hand is no longer dlt-doctor's to protect.
 */
export function inEffect(a: AppliedChange, spec: PipelineSpec | undefined): boolean | null {
  if (!spec) return null;
  const { target, key, value } = a.change;
  if (target === 'pipeline' && (key === 'photon' || key === 'continuous' || key === 'development' || key === 'serverless')) {
    return spec[key] === (value.trim().toLowerCase() === 'true');
  }
  if (target === 'pipeline' && (key === 'channel' || key === 'edition')) return spec[key] === null ? null : same(spec[key], value);
  const c = spec.clusters.find((x) => x.label === 'updates') ?? spec.clusters.find((x) => x.label === 'default');
  if (target !== 'cluster' || !c) return null;
  const n = numeric(value);
  switch (key) {
    case 'num_workers':
      return c.autoscale ? c.autoscale.maxWorkers === n : c.numWorkers === n;
    case 'autoscale.max_workers':
      return c.autoscale ? c.autoscale.maxWorkers === n : false;
    case 'autoscale.min_workers':
      return c.autoscale ? c.autoscale.minWorkers === n : false;
    case 'autoscale.mode':
      return c.autoscale ? same(c.autoscale.mode, value) : false;
    case 'node_type_id':
      return c.nodeTypeId === null ? null : same(c.nodeTypeId, value);
    case 'driver_node_type_id':
      return c.driverNodeTypeId === null ? null : same(c.driverNodeTypeId, value);
    default:
      return null;
  }
}

/** The newest applied change per pipeline and setting: a later apply of the same setting replaces an earlier one. */
export function latestPerSetting(changes: readonly AppliedChange[]): AppliedChange[] {
  const byKey = new Map<string, AppliedChange>();
  for (const c of [...changes].sort((x, y) => x.appliedAt - y.appliedAt || x.auditId - y.auditId)) {
    byKey.set(`${c.pipelineId}\u0000${settingOf(c.change.target, c.change.key)}`, c);
  }
  return [...byKey.values()];
}

// ------------------------------------------------------------------------------------------------
// Did it pay off?

/** updates needed on each side of the change before the comparison says anything */
export const PAYOFF_MIN_UPDATES = 3;
/** the most updates before the change compared (the newest ones) */
export const PAYOFF_MAX_BEFORE = 10;
/** the smallest move that counts, whatever the spread: didItHelp's 10% (src/schedule/alert-poller.ts) */
export const PAYOFF_MIN_MARGIN = 0.1;

export type PayOffVerdict = 'paid-off' | 'no-clear-change' | 'did-not-pay-off' | 'too-early' | 'no-baseline';

export interface PayOff {
  verdict: PayOffVerdict;
  /** per-update values compared: each side's count and median */
  before: { updates: number; median: number | null };
  after: { updates: number; median: number | null };
  /** (after − before) / before of the medians, percent; null when a side is empty */
  changePercent: number | null;
  /** the band inside which a move is noise, percent: max(10%, the before updates' relative median absolute deviation) */
  noisePercent: number | null;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * Before against after on a per-update measure where lower is better (dollars or seconds per
 * million rows). `paid-off` / `did-not-pay-off` only when the medians differ by more than the
 * noise band; fewer than PAYOFF_MIN_UPDATES on a side says too little to judge.
 */
export function payOff(before: readonly number[], after: readonly number[]): PayOff {
  const b = before.filter((v) => Number.isFinite(v) && v >= 0);
  const a = after.filter((v) => Number.isFinite(v) && v >= 0);
  const mb = median(b);
  const ma = median(a);
  const spread = mb !== null && mb > 0 && b.length >= 2 ? median(b.map((v) => Math.abs(v - mb)))! / mb : 0;
  const noise = Math.max(PAYOFF_MIN_MARGIN, spread);
  const rel = mb !== null && ma !== null && mb > 0 ? ma / mb - 1 : null;
  const verdict: PayOffVerdict =
    a.length < PAYOFF_MIN_UPDATES ? 'too-early' : b.length < PAYOFF_MIN_UPDATES || rel === null ? 'no-baseline' : rel >= noise ? 'did-not-pay-off' : rel <= -noise ? 'paid-off' : 'no-clear-change';
  return {
    verdict,
    before: { updates: b.length, median: mb },
    after: { updates: a.length, median: ma },
    changePercent: rel === null ? null : round1(rel * 100),
    noisePercent: mb === null ? null : round1(noise * 100),
  };
}

/** Withheld unless the updates since show the change clearly did not pay off. */
export const keepsChange = (p: PayOff): boolean => p.verdict !== 'did-not-pay-off';

// ------------------------------------------------------------------------------------------------
// Words

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** "Photon was turned on by dlt-doctor on 2026-11-20 (by @U123)" */
export function describeApplied(a: AppliedChange): string {
  const { target, key, value } = a.change;
  const bool = value.trim().toLowerCase();
  const photon = target === 'pipeline' && key === 'photon' && (bool === 'true' || bool === 'false');
  const what = photon
    ? `Photon was turned ${bool === 'true' ? 'on' : 'off'}`
    : `${target === 'cluster' ? 'cluster ' : ''}${key} was set to ${value} (${a.before !== null ? `was ${a.before}; ` : ''}${a.recommendationId})`;
  return `${what} by dlt-doctor on ${dayOf(a.appliedAt)} (by @${a.by})`;
}

export interface MeasureWords {
  /** "cost" / "took" */
  verb: string;
  /** "per million rows" / "per update" */
  unit: string;
  /** "more" / "less" for a higher / lower value */
  more: string;
  less: string;
}

export const COST_WORDS: MeasureWords = { verb: 'cost', unit: 'per million rows', more: 'more', less: 'less' };
export const TIME_WORDS: MeasureWords = { verb: 'took', unit: 'per million rows', more: 'longer', less: 'less time' };

/** "updates since cost 12% less per million rows: keeping it" and the other verdicts. */
export function payOffPhrase(p: PayOff, w: MeasureWords): string {
  const pctText = (v: number) => `${Math.abs(Math.round(v))}%`;
  const since = `${p.after.updates} update${p.after.updates === 1 ? '' : 's'} since`;
  switch (p.verdict) {
    case 'too-early':
      return `${since}, ${PAYOFF_MIN_UPDATES} needed to judge: keeping it for now`;
    case 'no-baseline':
      return `too few comparable updates before it (${p.before.updates}) to judge: keeping it`;
    case 'paid-off':
      return `updates since ${w.verb} ${pctText(p.changePercent!)} ${w.less} ${w.unit}: keeping it`;
    case 'no-clear-change':
      return `updates since ${w.verb} ${pctText(p.changePercent!)} ${p.changePercent! >= 0 ? w.more : w.less} ${w.unit}, within the usual spread of ±${Math.round(p.noisePercent!)}%: keeping it`;
    case 'did-not-pay-off':
      return `the ${since} ${w.verb} ${pctText(p.changePercent!)} ${w.more} ${w.unit} than the ${p.before.updates} before it (beyond the usual spread of ±${Math.round(p.noisePercent!)}%): it did not pay off`;
  }
}
