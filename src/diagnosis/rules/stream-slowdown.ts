import { z } from 'zod';
import { defineRule, type EvidenceItem, type RuleResult, type Severity } from '../types.js';
import { strengthPast } from './stats.js';
import { streamWindows, type FlowWindows } from './stream-window.js';

const options = z.object({
  /** the recent window, minutes (a third of the observed stream when the update is younger) */
  recentMinutes: z.number().positive(),
  /** a recent (and earlier) window shorter than this: no judgement */
  minRecentMinutes: z.number().positive(),
  /** the earlier window reaches back at most this far before the recent one, minutes */
  earlierMinutes: z.number().positive(),
  /** minutes after a flow's first report left out (its start-up catch-up) */
  warmupMinutes: z.number().min(0),
  /** both windows are cut into this many slices for "sustained" */
  slices: z.number().int().min(2),
  /** throughput in the recent window ≤ earlier × (1 − this) */
  minDrop: z.number().gt(0).lt(1),
  /** mean batch latency in the recent window ≥ earlier × this */
  minLatencyRatio: z.number().gt(1),
  /** at least this share of the recent slices must be past the threshold too */
  sustainedShare: z.number().min(0).max(1),
  /** flows that wrote fewer rows than this in the earlier window are not judged */
  minEarlierRows: z.number().min(0),
  /** at least this many batches (or report intervals) in each window to judge latency */
  minBatches: z.number().int().positive(),
});
type Options = z.infer<typeof options>;
type MessageId = 'throughputDrop' | 'throughputDropUnknownInput' | 'latencyGrowth';

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function rate(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : String(round(x, 1));
}

function judge(w: FlowWindows, o: Options): RuleResult<MessageId> | null {
  const { recent, earlier } = w;
  if (earlier.minutes < o.minRecentMinutes || earlier.rows < o.minEarlierRows || earlier.rowsPerS <= 0) return null;
  // The source sent less: a stream with nothing waiting keeps up at whatever rate its input has.
  if (w.backlog === 'empty' || w.backlog === 'draining') return null;
  // The earlier window was a catch-up (its backlog drained): a stream back at its input's pace.
  if (w.earlierBacklog === 'draining' && w.backlog !== 'growing') return null;
  const ratio = recent.rowsPerS / earlier.rowsPerS;
  const dropLimit = 1 - o.minDrop;
  const slicesBelow = recent.sliceRowsPerS.filter((r) => r <= earlier.rowsPerS * dropLimit).length / recent.sliceRowsPerS.length;
  const dropped = ratio <= dropLimit && slicesBelow >= o.sustainedShare;

  let latencyRatio: number | null = null;
  let latencySustained = false;
  if (w.latencySource !== null && recent.latencyMs !== null && earlier.latencyMs !== null && earlier.latencyMs > 0 && recent.batches >= o.minBatches && earlier.batches >= o.minBatches) {
    latencyRatio = recent.latencyMs / earlier.latencyMs;
    const slow = recent.sliceLatencyMs.filter((l) => l !== null && l >= earlier.latencyMs! * o.minLatencyRatio).length / recent.sliceLatencyMs.length;
    latencySustained = latencyRatio >= o.minLatencyRatio && slow >= o.sustainedShare;
  }
  if (!dropped && !latencySustained) return null;

  const minutes = { recentMin: Math.round(recent.minutes), earlierMin: Math.round(earlier.minutes) };
  const latencySource = w.latencySource === 'stream_progress' ? 'event_log:stream_progress' : 'event_log:flow_progress';
  const evidence: EvidenceItem[] = [
    { metric: `throughput, last ${minutes.recentMin} min`, value: round(recent.rowsPerS, 1), unit: 'rows/s', threshold: round(earlier.rowsPerS * dropLimit, 1), source: 'event_log:flow_progress' },
    { metric: `throughput, ${minutes.earlierMin} min before`, value: round(earlier.rowsPerS, 1), unit: 'rows/s', threshold: null, source: 'event_log:flow_progress' },
    { metric: 'throughput ratio', value: round(ratio, 2), unit: '×', threshold: round(dropLimit, 2), source: 'event_log:flow_progress' },
    { metric: 'recent slices past the threshold', value: Math.round(slicesBelow * 100), unit: '%', threshold: Math.round(o.sustainedShare * 100), source: 'event_log:flow_progress' },
    ...(latencyRatio !== null
      ? [
          { metric: `batch latency, last ${minutes.recentMin} min`, value: round(recent.latencyMs! / 1000, 1), unit: 's', threshold: round((earlier.latencyMs! * o.minLatencyRatio) / 1000, 1), source: latencySource },
          { metric: 'batch latency ratio', value: round(latencyRatio, 2), unit: '×', threshold: o.minLatencyRatio, source: latencySource },
        ]
      : []),
    { metric: 'backlog over the last window', value: w.backlog, unit: '', threshold: null, source: 'event_log:flow_progress' },
  ];
  const latency = latencyRatio !== null && latencyRatio >= 1.2 ? `; its micro-batches took ${round(latencyRatio, 1)}× as long` : '';
  const backlogWords = w.backlog === 'growing' ? 'its backlog grew' : 'its backlog did not shrink';
  if (dropped) {
    const known = w.backlog !== 'none';
    const severity: Severity = !known ? 'info' : ratio <= 0.5 && w.backlog === 'growing' ? 'critical' : 'warning';
    return {
      messageId: known ? 'throughputDrop' : 'throughputDropUnknownInput',
      data: { flow: w.flow, recentRate: rate(recent.rowsPerS), earlierRate: rate(earlier.rowsPerS), ratio: round(ratio, 2), ...minutes, backlog: backlogWords, latency },
      severity,
      strength: strengthPast(ratio, dropLimit, dropLimit / 3),
      evidence,
      fixes: [],
    };
  }
  return {
    messageId: 'latencyGrowth',
    data: { flow: w.flow, ratio: round(latencyRatio!, 1), recentS: round(recent.latencyMs! / 1000, 1), earlierS: round(earlier.latencyMs! / 1000, 1), ...minutes, backlog: w.backlog === 'none' ? '' : w.backlog === 'growing' ? ' while its backlog grew' : w.backlog === 'holding' ? ' while its backlog did not shrink' : '' },
    severity: w.backlog === 'growing' || w.backlog === 'holding' ? 'warning' : 'info',
    strength: strengthPast(latencyRatio!, o.minLatencyRatio, o.minLatencyRatio * 2),
    evidence,
    fixes: [],
  };
}

export const rule = defineRule<Options, MessageId>({
  meta: {
    id: 'stream-slowdown',
    category: 'none',
    severity: 'warning',
    description:
      'A continuous pipeline is judged on its streams now, not on how long its update has run: a flow whose throughput (rows/s) fell, or whose micro-batches take longer, over the recent window against the earlier part of the same update — sustained across the window, with data still waiting (a stream whose backlog is empty or draining only got less input).',
    guideSection: '1.2, 10.2',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/monitor-event-log-schema',
    requires: ['flows'],
    options,
    defaults: {
      recentMinutes: 60,
      minRecentMinutes: 15,
      earlierMinutes: 360,
      warmupMinutes: 5,
      slices: 4,
      minDrop: 0.3,
      minLatencyRatio: 1.5,
      sustainedShare: 0.75,
      minEarlierRows: 1000,
      minBatches: 4,
    },
    messages: {
      throughputDrop: '{{flow}} slowed down: {{recentRate}} rows/s over the last {{recentMin}} min against {{earlierRate}} rows/s in the {{earlierMin}} min before ({{ratio}}×) while {{backlog}}{{latency}}',
      throughputDropUnknownInput:
        '{{flow}} wrote {{recentRate}} rows/s over the last {{recentMin}} min against {{earlierRate}} rows/s in the {{earlierMin}} min before ({{ratio}}×){{latency}}; without backlog metrics, less input would look the same',
      latencyGrowth: "{{flow}}'s micro-batches took {{ratio}}× as long over the last {{recentMin}} min ({{recentS}} s against {{earlierS}} s in the {{earlierMin}} min before){{backlog}}",
    },
  },
  check(evidence, o) {
    return streamWindows(evidence, o)
      .map((w) => judge(w, o))
      .filter((r): r is RuleResult<MessageId> => r !== null);
  },
});
