/**
 * Findings → verdict: the primary bottleneck, how sure we are, and one sentence a person can act on.
 * Pure. Context findings (category 'none': regression, failure) never name the bottleneck; they only
 * add context to the summary.
 */
import { atUsualPace, computeBaseline } from './baseline.js';
import type { Bottleneck, Category, Evidence } from './evidence.js';
import { BOTTLENECKS } from './evidence.js';
import { FIXES_BY_ID } from './fixes/index.js';
import { formatDuration, formatRatio } from './format.js';
import { rule as streamSlowdown } from './rules/stream-slowdown.js';
import { streamWindows } from './rules/stream-window.js';
import type { Finding, Severity, Verdict } from './types.js';

export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 1, warning: 0.6, info: 0.25 };

/** A finding's weight in the verdict and in recommendation ordering. */
export function findingScore(f: Pick<Finding, 'severity' | 'strength'>): number {
  return SEVERITY_WEIGHT[f.severity] * clamp01(f.strength);
}

/** Categories whose evidence comes mostly from system.compute.node_timeline. */
const NEEDS_NODE_METRICS: ReadonlySet<Bottleneck> = new Set(['cpu', 'memory', 'io', 'network']);
const CORROBORATION_BONUS = { strong: 0.05, info: 0.02, cap: 0.15 } as const;
/** a runner-up at or above this fraction of the winner's score lowers confidence */
const CLOSE_SECOND = 0.8;

const LABEL: Record<Category, string> = {
  cpu: 'CPU-bound',
  memory: 'Memory-bound',
  io: 'I/O-bound',
  network: 'Network-bound (shuffle)',
  planning: 'Planning-bound',
  startup: 'Slow startup',
  scaling: 'Scaling-bound',
  backlog: 'Falling behind',
};

/** below this confidence the summary says "probably" */
const LOW_CONFIDENCE = 0.5;

function lowerLabel(c: Category): string {
  const l = LABEL[c];
  return /^[A-Z][a-z]/.test(l) ? l[0]!.toLowerCase() + l.slice(1) : l;
}

/** Short imperative phrases for the summary; other fixes fall back to their catalog title. */
const ACTION: Record<string, string> = {
  'enable-photon': 'enable Photon',
  'raise-max-workers': 'add workers',
  'reduce-max-workers': 'right-size the cluster',
  'compute-optimized-instances': 'use compute-optimized instances',
  'memory-optimized-instances': 'use memory-optimized instances',
  'storage-optimized-instances': 'use storage-optimized instances',
  'replace-python-udf': 'replace the Python UDF with built-in functions',
  'enhanced-autoscaling': 'switch to enhanced autoscaling',
  'use-instance-pool': 'use an instance pool',
  'use-serverless': 'move to serverless',
  'split-pipeline': 'split the pipeline',
  'optimize-write': 'turn on optimized writes',
  'auto-compact': 'turn on auto compaction',
  'enable-aqe-coalesce': 'let AQE coalesce shuffle partitions',
  'broadcast-threshold': 'broadcast the small join side',
  'enable-skew-join': 'enable AQE skew-join handling',
  'autoloader-notifications': 'switch Auto Loader to file notifications',
  'autoloader-max-files': 'cap Auto Loader files per trigger',
  'offheap-memory': 'give executors off-heap memory',
  'avoid-collect': 'stop collecting data to the driver',
  'larger-driver': 'use a larger driver',
  'executor-memory-overhead': 'give executors more memory overhead',
  'trim-init-scripts': 'take installs out of cluster start-up',
};

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

interface CategoryScore {
  category: Category;
  score: number;
  findings: Finding[];
}

/** Per category: max of severity weight × strength, plus a small bonus for corroborating findings. */
export function scoreCategories(findings: Finding[]): CategoryScore[] {
  const by = new Map<Category, Finding[]>();
  for (const f of findings) {
    if (f.category === 'none') continue;
    const list = by.get(f.category) ?? [];
    list.push(f);
    by.set(f.category, list);
  }
  const scores: CategoryScore[] = [];
  for (const [category, list] of by) {
    // a category is a candidate only with at least one warning or critical finding
    if (!list.some((f) => f.severity !== 'info')) continue;
    const sorted = [...list].sort((a, b) => findingScore(b) - findingScore(a));
    const [top, ...rest] = sorted;
    const bonus = Math.min(
      CORROBORATION_BONUS.cap,
      rest.reduce((sum, f) => sum + (f.severity === 'info' ? CORROBORATION_BONUS.info : CORROBORATION_BONUS.strong), 0),
    );
    scores.push({ category, score: Math.min(1, findingScore(top!) + bonus), findings: sorted });
  }
  const order = (c: Category) => BOTTLENECKS.indexOf(c);
  return scores.sort((a, b) => b.score - a.score || b.findings.length - a.findings.length || order(a.category) - order(b.category));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Names that keep their capital at the start of a clause. */
const PROPER = /^(Databricks|Photon|Python|Spark|Delta|Auto Loader|Enhanced|Unity)\b/;

function lowerFirst(s: string): string {
  // keep acronyms (CPU, OOM, MV) and product names as they are
  return /^[A-Z][a-z]/.test(s) && !PROPER.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

function stripPeriod(s: string): string {
  return s.trim().replace(/[.;:]+$/, '');
}

/** "2.1× slower than its 10-update median, with the same row count", or null when not notably slower. */
export function regressionContext(evidence: Evidence): string | null {
  const b = computeBaseline(evidence);
  if (!b || b.duration_ratio === null || b.duration_ratio < 1.5) return null;
  let rows = '';
  const cur = evidence.update.outputRows;
  if (cur !== null && b.median_output_rows !== null && b.median_output_rows > 0) {
    const r = cur / b.median_output_rows;
    rows = Math.abs(r - 1) <= 0.1 ? ', with the same row count' : `, with ${formatRatio(r)} the rows`;
  }
  return `${formatRatio(b.duration_ratio)} slower than its ${b.updates}-update median${rows}`;
}

/**
 * A continuous pipeline's streams, judged on the recent window (rules/stream-window.ts), never on
 * the update's duration: the stream-slowdown finding when there is one (warning or worse), else
 * how the recent throughput compares, else null (too young or no stream progress).
 */
export function streamContext(findings: Finding[], evidence: Evidence): { slowdown: boolean; text: string } | null {
  if (!evidence.pipeline.spec.continuous) return null;
  const slow = findings.find((f) => f.rule === 'stream-slowdown' && f.severity !== 'info');
  if (slow) return { slowdown: true, text: lowerFirst(stripPeriod(slow.title)) };
  const windows = streamWindows(evidence, streamSlowdown.meta.defaults).filter((w) => w.earlier.rowsPerS > 0 && w.earlier.minutes >= streamSlowdown.meta.defaults.minRecentMinutes);
  if (windows.length === 0) return null;
  // the busiest stream speaks for the pipeline
  const top = windows.reduce((a, b) => (b.earlier.rows > a.earlier.rows ? b : a));
  const ratio = top.recent.rowsPerS / top.earlier.rowsPerS;
  return {
    slowdown: false,
    text: `throughput over the last ${formatDuration(top.recent.minutes * 60)} at ${formatRatio(Math.round(ratio * 100) / 100)} that of the ${formatDuration(top.earlier.minutes * 60)} before (${top.flow})`,
  };
}

function actionsFor(win: CategoryScore, preferred: readonly string[] | undefined): string[] {
  const ids: string[] = [];
  if (preferred) ids.push(...preferred);
  else for (const f of win.findings) for (const fix of f.fixes) if (!ids.includes(fix.id)) ids.push(fix.id);
  return ids.slice(0, 2).map((id) => ACTION[id] ?? lowerFirst(FIXES_BY_ID.get(id)?.title ?? id.replace(/-/g, ' ')));
}

function gapNote(category: Category, evidence: Evidence): string | null {
  if (NEEDS_NODE_METRICS.has(category) && evidence.gaps.includes('node_metrics')) {
    return evidence.pipeline.spec.serverless ? 'no node metrics on serverless' : 'no node metrics';
  }
  if (category === 'scaling' && evidence.gaps.includes('cluster_resources')) return 'no cluster_resources events';
  if (evidence.gaps.includes('event_details')) return 'no event details';
  return null;
}

/**
 * How sure: the winner's score (severity × strength, with corroboration), capped by what evidence
 * was missing, and lowered by how close the runner-up is (the margin over it).
 */
function confidenceFor(win: CategoryScore, second: CategoryScore | undefined, evidence: Evidence): number {
  let c = win.score;
  if (NEEDS_NODE_METRICS.has(win.category) && evidence.gaps.includes('node_metrics')) c = Math.min(c, 0.6);
  if (win.category === 'scaling' && evidence.gaps.includes('cluster_resources')) c = Math.min(c, 0.6);
  if (evidence.gaps.includes('event_details')) c = Math.min(c, 0.4);
  if (second && win.score > 0) {
    const closeness = second.score / win.score;
    // a clear margin keeps the score; a tie takes off up to 40%
    c *= 1 - 0.4 * Math.max(0, (closeness - 0.5) / 0.5);
  }
  return round2(clamp01(c));
}

function healthyVerdict(findings: Finding[], evidence: Evidence, noted: CategoryScore | null = null): Verdict {
  const u = evidence.update;
  const b = computeBaseline(evidence);
  let c = 0.9;
  if (evidence.gaps.includes('node_metrics')) c = Math.min(c, 0.6);
  if (evidence.gaps.includes('event_details')) c = Math.min(c, 0.4);
  const failed = findings.find((f) => f.rule === 'update-failed') ?? (u.state === 'FAILED' ? null : undefined);
  if (failed?.rulesOut?.includes('compute')) {
    return { bottleneck: 'none', confidence: round2(Math.min(c, 0.8)), summary: `Failed after ${formatDuration(u.durationS)}: ${lowerFirst(stripPeriod(failed.title))} — fix the error and rerun; no compute or Spark change helps.` };
  }
  if (u.state === 'FAILED') {
    const why = failed ? `: ${lowerFirst(stripPeriod(failed.title))}` : '';
    return { bottleneck: 'none', confidence: round2(Math.min(c, 0.5)), summary: `Failed after ${formatDuration(u.durationS)}${why}; no performance bottleneck found — fix the error and rerun.` };
  }
  const stream = streamContext(findings, evidence);
  if (stream?.slowdown) {
    return {
      bottleneck: 'none',
      confidence: round2(Math.min(c, 0.5)),
      summary: `No single bottleneck found, but ${stream.text} — compare the recent window with the hours before it.`,
    };
  }
  const regression = regressionContext(evidence);
  if (regression) {
    return {
      bottleneck: 'none',
      confidence: round2(Math.min(c, 0.5)),
      summary: `No single bottleneck found, but ${formatDuration(u.durationS)} is ${regression} — compare it with an earlier update.`,
    };
  }
  const continuous = evidence.pipeline.spec.continuous;
  const ran = u.durationS === null ? `still ${u.state.toLowerCase()}` : formatDuration(u.durationS);
  // a continuous update is judged on its recent window; its length is only how long it was left running
  const took = continuous ? `continuous update, ${u.durationS === null ? ran : `ran ${ran}`}` : ran;
  let context = '';
  if (continuous) {
    context = stream ? `, ${stream.text}` : ' (too little stream progress to judge a recent window)';
  } else if (b && b.duration_ratio !== null) {
    context = b.duration_ratio <= 0.67 ? `, ${formatRatio(b.duration_ratio)} its ${b.updates}-update median` : `, in line with its ${b.updates}-update median`;
  } else if (!b) {
    context = ' (no earlier updates to compare with)';
  }
  const caveat = evidence.gaps.includes('node_metrics') ? ' (without node metrics)' : '';
  const kind = u.fullRefresh ? 'full refresh ' : '';
  if (noted) {
    // weak signals at the usual duration: say what was seen, but it is not what limits the update
    const top = noted.findings[0]!;
    return {
      bottleneck: 'none',
      confidence: round2(Math.min(c, 0.7)),
      summary: `Healthy: ${kind}${took}${context}; no bottleneck limits it (noted: ${lowerFirst(stripPeriod(top.title))})${caveat}.`,
    };
  }
  return { bottleneck: 'none', confidence: round2(c), summary: `Healthy: ${kind}${took}${context}; no bottleneck found${caveat}.` };
}

export interface ClassifyOptions {
  /**
   * fix ids to name in the summary, best first (diagnose passes the ranked recommendations of the
   * verdict's category); default: the fixes the winning findings asked for, in order
   */
  actions?: readonly string[];
}

/** An update this close to its comparable baseline is running as it usually does. */
const NEAR_BASELINE_RATIO = 1.2;
const NEAR_BASELINE_MIN_UPDATES = 5;
/**
 * …and then a category needs at least this score (severity weight × strength) or a critical finding
 * to name the verdict: weak, marginal signals at the usual duration are the pipeline's normal
 * operating point, while a strong, sustained one is a chronic bottleneck worth naming.
 */
const NEAR_BASELINE_MIN_SCORE = 0.4;

/** COMPLETED at its usual duration (enough comparable updates to know) */
function nearBaseline(evidence: Evidence): boolean {
  return evidence.update.state === 'COMPLETED' && atUsualPace(evidence, NEAR_BASELINE_RATIO, NEAR_BASELINE_MIN_UPDATES);
}

export function classify(findings: Finding[], evidence: Evidence, options: ClassifyOptions = {}): Verdict {
  // A failure that no compute change fixes (permissions, a missing table, schema, analysis) is not a bottleneck.
  if (findings.some((f) => f.rule === 'update-failed' && f.rulesOut?.includes('compute'))) return healthyVerdict(findings, evidence);
  const scores = scoreCategories(findings);
  const [win, second] = scores;
  if (!win) return healthyVerdict(findings, evidence);
  // Near its baseline with nothing critical: the pipeline runs as it always does (CONTRACT §2 "none").
  if (nearBaseline(evidence) && win.score < NEAR_BASELINE_MIN_SCORE && !win.findings.some((f) => f.severity === 'critical')) return healthyVerdict(findings, evidence, win);

  const top = win.findings[0]!;
  const note = gapNote(win.category, evidence);
  let detail = lowerFirst(stripPeriod(top.title));
  const spec = evidence.pipeline.spec;
  if (win.category === 'cpu' && !spec.photon && !spec.serverless && !/photon/i.test(detail)) detail += ' with Photon off';
  const regression = regressionContext(evidence);
  if (regression) detail += `; ${regression}`;
  const stream = streamContext(findings, evidence);
  if (stream?.slowdown) detail += `; ${stream.text}`;
  const actions = actionsFor(win, options.actions);
  const action = actions.length ? ` — ${actions.join(' and ')}` : '';
  const confidence = confidenceFor(win, second, evidence);
  const close = second !== undefined && win.score > 0 && second.score / win.score >= CLOSE_SECOND;
  // idle capacity is a cost problem, not a scaling limit: it gets its own headline
  const base = top.rule === 'over-provisioned' ? 'Over-provisioned' : LABEL[win.category];
  let label = note ? `${base} (${note})` : base;
  // honest about doubt: a close runner-up or thin evidence shows in the sentence, not only in the number
  const lowerBase = top.rule === 'over-provisioned' ? 'over-provisioned' : lowerLabel(win.category);
  if (close) label = `Probably ${lowerBase}; ${lowerLabel(second.category)} is close behind${note ? ` (${note})` : ''}`;
  else if (confidence < LOW_CONFIDENCE) label = `Probably ${lowerBase}${note ? ` (${note})` : ''}`;
  return {
    bottleneck: win.category,
    confidence,
    summary: `${label}: ${detail}${action}.`,
  };
}
