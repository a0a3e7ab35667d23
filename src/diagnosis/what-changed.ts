/**
 * What changed against the baseline updates (issue 13 item 10): the facts of this update next to
 * those of its comparable history (baseline.ts `comparableHistory`), ranked by how far they moved.
 * Only what the event log records per update can be compared — the runtime version
 * (`runtime_details`), the phases (`update_progress`), the rows written, the number of flows, the
 * most executors reached (`cluster_resources`); the pipeline spec is known only as it is now, so a
 * settings change cannot be dated from here. Pure.
 */
import { comparableHistory, BASELINE_UPDATES } from './baseline.js';
import type { Evidence, Phase } from './evidence.js';
import { PHASES } from './evidence.js';
import { median } from './rules/stats.js';
import { formatDuration } from './format.js';

export interface Change {
  what: 'runtime' | 'phase' | 'rows' | 'flows' | 'executors';
  /** e.g. "running phase", "runtime" */
  label: string;
  before: string;
  after: string;
  /** how far it moved (|ratio − 1| for numbers, 1 for a version change), to rank */
  weight: number;
}

const MIN_PHASE_GROWTH_S = 60;

function mostCommon(values: string[]): string | null {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

export function whatChanged(evidence: Evidence): Change[] {
  const prior = comparableHistory(evidence).slice(0, BASELINE_UPDATES);
  if (prior.length === 0) return [];
  const u = evidence.update;
  const out: Change[] = [];

  const versions = prior.map((h) => h.dbrVersion).filter((v): v is string => typeof v === 'string' && v !== '');
  const usual = mostCommon(versions);
  if (u.dbrVersion && usual && u.dbrVersion !== usual) out.push({ what: 'runtime', label: 'runtime', before: usual, after: u.dbrVersion, weight: 1 });

  for (const p of PHASES) {
    const now = u.phasesS[p as Phase];
    const was = prior.map((h) => h.phasesS?.[p as Phase]).filter((v): v is number => typeof v === 'number');
    if (now === undefined || was.length < Math.min(3, prior.length)) continue;
    const m = median(was)!;
    if (now - m >= MIN_PHASE_GROWTH_S && now >= 1.5 * Math.max(m, 1)) {
      out.push({ what: 'phase', label: `${p.replace(/_/g, ' ')} phase`, before: formatDuration(m), after: formatDuration(now), weight: now / Math.max(m, 1) - 1 });
    }
  }

  const rows = prior.map((h) => h.outputRows).filter((v): v is number => v !== null && v > 0);
  if (u.outputRows !== null && rows.length > 0) {
    const m = median(rows)!;
    const r = u.outputRows / m;
    if (r >= 1.3 || r <= 0.7) out.push({ what: 'rows', label: 'rows written', before: fmt(m), after: fmt(u.outputRows), weight: Math.abs(r - 1) });
  }

  const flows = prior.map((h) => h.flows).filter((v): v is number => typeof v === 'number' && v > 0);
  if (flows.length > 0 && evidence.flows.length > 0) {
    const m = median(flows)!;
    if (evidence.flows.length !== Math.round(m)) out.push({ what: 'flows', label: 'flows', before: fmt(m), after: fmt(evidence.flows.length), weight: Math.abs(evidence.flows.length / m - 1) });
  }

  const peaks = prior.map((h) => h.peakExecutors).filter((v): v is number => typeof v === 'number' && v > 0);
  const nowPeak = evidence.clusterResources.reduce<number | null>((p, s) => (s.numExecutors !== null && (p === null || s.numExecutors > p) ? s.numExecutors : p), null);
  if (peaks.length > 0 && nowPeak !== null) {
    const m = median(peaks)!;
    if (nowPeak <= 0.75 * m || nowPeak >= 1.33 * m) out.push({ what: 'executors', label: 'most executors reached', before: fmt(m), after: fmt(nowPeak), weight: Math.abs(nowPeak / m - 1) });
  }
  return out.sort((a, b) => b.weight - a.weight);
}
