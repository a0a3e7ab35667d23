import { z } from 'zod';
import type { BacklogSample } from '../evidence.js';
import type { FixRequest } from '../types.js';
import { defineRule } from '../types.js';
import { updatesCluster } from './pipeline-facts.js';
import { nonDecreasingShare, strengthPast } from './stats.js';
import { streamSource } from './stream-source.js';

const options = z.object({
  /** the series must cover at least this long, minutes */
  minSpanMinutes: z.number().positive(),
  /** last value ≥ first × this */
  minGrowth: z.number().min(1),
  /** share of steps that must not go down */
  minNonDecreasingShare: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

const METRICS = ['bytes', 'records', 'files', 'seconds'] as const;
type BacklogMetric = (typeof METRICS)[number];
const UNITS: Record<BacklogMetric, string> = { bytes: 'bytes', records: 'records', files: 'files', seconds: 's' };

interface Growth {
  metric: BacklogMetric;
  first: number;
  last: number;
  ratio: number;
  share: number;
  spanMin: number;
}

/** the middle value of a few */
function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** a trailing run is judged on this many points at each end (their median), so one noisy report does not decide it */
const END_POINTS = 3;
/** a trailing run needs this many points and this share of the observed span */
const MIN_RUN_POINTS = 12;
const MIN_RUN_SHARE_OF_SPAN = 0.25;

function growthOf(series: BacklogSample[], metric: BacklogMetric, o: Options): Growth | null {
  const points = series.filter((s) => s[metric] !== null && Number.isFinite(s[metric])).sort((a, b) => a.t - b.t);
  if (points.length < 2) return null;
  const values = points.map((p) => p[metric]!);
  const first = values[0]!;
  const last = values[values.length - 1]!;
  const spanMin = (points[points.length - 1]!.t - points[0]!.t) / 60_000;
  const share = nonDecreasingShare(values) ?? 0;
  if (spanMin >= o.minSpanMinutes && last > 0 && last >= first * o.minGrowth && share >= o.minNonDecreasingShare) {
    // A backlog that starts empty has grown without bound; cap the ratio so it still ranks.
    const ratio = first > 0 ? last / first : Number.POSITIVE_INFINITY;
    return { metric, first, last, ratio, share, spanMin };
  }
  return trailingGrowth(points, values, metric, spanMin, o);
}

/**
 * A flow that kept up for a while and then fell behind (a continuous update read over hours, an
 * input burst mid-update): the trailing run of the series that grows most steadily (the longest
 * of equals) — at least
 * MIN_RUN_POINTS points and a quarter of the observed span (and `minSpanMinutes`), its steps
 * non-decreasing as often as the whole series must be, and the median of its last points
 * `minGrowth` × the median of its first ones.
 */
function trailingGrowth(points: BacklogSample[], values: number[], metric: BacklogMetric, spanMin: number, o: Options): Growth | null {
  const n = values.length;
  const tEnd = points[n - 1]!.t;
  const minRunMin = Math.max(o.minSpanMinutes, spanMin * MIN_RUN_SHARE_OF_SPAN);
  // up[i]: non-decreasing steps among i → n-1
  const up = new Array<number>(n).fill(0);
  for (let i = n - 2; i >= 0; i--) up[i] = up[i + 1]! + (values[i + 1]! >= values[i]! ? 1 : 0);
  const lastMedian = medianOf(values.slice(n - END_POINTS));
  let best: Growth | null = null;
  for (let i = 0; i <= n - MIN_RUN_POINTS; i++) {
    const runMin = (tEnd - points[i]!.t) / 60_000;
    if (runMin < minRunMin) break;
    const share = up[i]! / (n - 1 - i);
    if (share < o.minNonDecreasingShare) continue;
    const firstMedian = medianOf(values.slice(i, i + END_POINTS));
    if (lastMedian <= 0 || lastMedian < firstMedian * o.minGrowth) continue;
    // the cleanest run (most steps up), the longest of those: where falling behind began
    if (best !== null && share <= best.share) continue;
    const ratio = firstMedian > 0 ? lastMedian / firstMedian : Number.POSITIVE_INFINITY;
    best = { metric, first: firstMedian, last: lastMedian, ratio, share, spanMin: runMin };
  }
  return best;
}

export const rule = defineRule<Options, 'growing'>({
  meta: {
    id: 'growing-backlog',
    category: 'backlog',
    severity: 'warning',
    description: 'A streaming flow falls behind its source: its backlog keeps growing during the update.',
    guideSection: '5.2',
    requires: ['flows'],
    options,
    defaults: { minSpanMinutes: 15, minGrowth: 1.5, minNonDecreasingShare: 0.7 },
    messages: {
      growing: '{{flow}} is falling behind: backlog {{metric}} grew from {{first}} to {{last}} over {{minutes}} min',
    },
  },
  check(evidence, o) {
    // A full refresh reprocesses every source from the start: a backlog there is expected.
    if (evidence.update.fullRefresh) return [];
    const continuous = evidence.pipeline.spec.continuous;
    const cluster = updatesCluster(evidence.pipeline.spec);
    return evidence.flows.flatMap((flow) => {
      if (flow.backlog.length < 2) return [];
      const growths = METRICS.map((m) => growthOf(flow.backlog, m, o)).filter((g): g is Growth => g !== null);
      if (growths.length === 0) return [];
      const worst = growths.reduce((a, b) => (b.ratio > a.ratio ? b : a));
      const fixes: FixRequest[] = [];
      if (cluster !== null && cluster.autoscale !== null) fixes.push({ id: 'raise-max-workers', params: { flow: flow.name } });
      const source = streamSource(flow, evidence);
      if (source === 'autoloader') {
        fixes.push({ id: 'autoloader-max-bytes', params: { flow: flow.name } });
        if (flow.backlog.some((b) => b.files !== null)) fixes.push({ id: 'autoloader-max-files', params: { flow: flow.name } });
        fixes.push({ id: 'autoloader-notifications', params: { flow: flow.name } });
      } else {
        fixes.push({ id: 'streaming-trigger', params: { flow: flow.name, source } });
      }
      const ratioShown = Number.isFinite(worst.ratio) ? Math.round(worst.ratio * 100) / 100 : 'from 0';
      return [
        {
          messageId: 'growing' as const,
          data: {
            flow: flow.name,
            metric: worst.metric,
            first: Math.round(worst.first),
            last: Math.round(worst.last),
            minutes: Math.round(worst.spanMin),
          },
          severity: continuous ? ('critical' as const) : ('warning' as const),
          strength: Number.isFinite(worst.ratio) ? strengthPast(worst.ratio, o.minGrowth, o.minGrowth * 4) : 1,
          evidence: [
            { metric: `backlog_${worst.metric} (last)`, value: Math.round(worst.last), unit: UNITS[worst.metric], threshold: Math.round(worst.first * o.minGrowth), source: 'event_log:flow_progress' },
            { metric: `backlog_${worst.metric} growth`, value: ratioShown, unit: '×', threshold: o.minGrowth, source: 'event_log:flow_progress' },
            { metric: 'non-decreasing steps', value: Math.round(worst.share * 100), unit: '%', threshold: o.minNonDecreasingShare * 100, source: 'event_log:flow_progress' },
            { metric: 'observed span', value: Math.round(worst.spanMin), unit: 'min', threshold: o.minSpanMinutes, source: 'event_log:flow_progress' },
          ],
          fixes,
        },
      ];
    });
  },
});
