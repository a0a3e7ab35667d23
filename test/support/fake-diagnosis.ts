/**
 * Hand-built Diagnosis objects and Replies for surface tests (Slack, Teams, console), so they do
 * not depend on the diagnosis engine. `largestDiagnosis()` is deliberately oversized to test limits.
 */
import type { Reply } from '../../commands/types.js';
import type { Diagnosis, Finding, Recommendation } from '../../src/diagnosis/types.js';

export function fakeFinding(o: Partial<Finding> = {}): Finding {
  return {
    rule: 'cpu-saturation',
    category: 'cpu',
    severity: 'critical',
    title: 'Workers are CPU-saturated',
    strength: 0.8,
    evidence: [
      { metric: 'workers mean CPU', value: 93, unit: '%', threshold: 85, source: 'system.compute.node_timeline' },
      { metric: 'worker-minutes ≥ 80% CPU', value: 71, unit: '%', threshold: 60, source: 'system.compute.node_timeline' },
    ],
    fixes: [{ id: 'raise-max-workers' }],
    ...o,
  };
}

export function fakeRecommendation(o: Partial<Recommendation> = {}): Recommendation {
  return {
    id: 'raise-max-workers',
    category: 'cpu',
    title: 'Raise max workers to 16',
    why: 'Executors sat at max_workers with queued tasks for most of the run.',
    guide_section: '3.3',
    change: { target: 'cluster', key: 'autoscale.max_workers', value: '16' },
    expected_effect: 'about 40% shorter running phase',
    risk: 'higher peak cost per hour',
    impact: 0.8,
    ...o,
  };
}

export function fakeDiagnosis(o: Partial<Diagnosis> = {}): Diagnosis {
  return {
    pipeline: { id: 'pl-orders-silver', name: 'orders_silver' },
    update: {
      id: 'upd-42',
      state: 'COMPLETED',
      cause: 'JOB_TASK',
      full_refresh: false,
      started_at: '2026-11-20T06:00:00.000Z',
      ended_at: '2026-11-20T06:30:30.000Z',
      duration_s: 1830,
      phases_s: { queued: 0, waiting_for_resources: 240, initializing: 35, setting_up_tables: 20, running: 1535 },
    },
    verdict: { bottleneck: 'cpu', confidence: 0.82, summary: 'Workers ran at 93% CPU for most of the update; add workers or turn on Photon.' },
    findings: [fakeFinding()],
    recommendations: [
      fakeRecommendation(),
      fakeRecommendation({ id: 'enable-photon', title: 'Turn on Photon', guide_section: '4.1', change: { target: 'pipeline', key: 'photon', value: 'true' }, impact: 0.6 }),
      fakeRecommendation({ id: 'compute-optimized-instances', title: 'Use compute-optimized workers', guide_section: '3.1', change: { target: 'cluster', key: 'node_type_id', value: 'c5.4xlarge' }, impact: 0.4 }),
      fakeRecommendation({ id: 'enable-aqe-coalesce', title: 'Let AQE coalesce partitions', guide_section: '6.3', change: { target: 'spark_conf', key: 'spark.sql.adaptive.coalescePartitions.enabled', value: 'true' }, impact: 0.2 }),
    ],
    baseline: { updates: 10, median_duration_s: 900, duration_ratio: 2.03 },
    where_time_went: {
      running_s: 1535,
      critical_path_s: 1490,
      from_definitions: true,
      flows: [
        { flow: 'orders_silver', duration_s: 1210, critical_s: 1180, share: 0.769, critical: true },
        { flow: 'orders_bronze', duration_s: 320, critical_s: 310, share: 0.208, critical: true },
        { flow: 'customers_dim', duration_s: 140, critical_s: 0, share: 0.046, critical: false },
      ],
    },
    gaps: [],
    notes: [],
    ...o,
  };
}

export function fakeDiagnosisReply(o: Partial<Diagnosis> = {}, pipelineUrl: string | null = 'https://example.cloud.databricks.com/pipelines/pl-orders-silver/updates/upd-42'): Extract<Reply, { kind: 'diagnosis' }> {
  const d = fakeDiagnosis(o);
  const t0 = Date.parse('2026-11-01T06:00:00Z');
  const durations = Array.from({ length: 20 }, (_, i) => ({ updateId: `upd-${23 + i}`, durationS: i === 19 ? 1830 : 850 + ((i * 37) % 120), startedAt: t0 + i * 86_400_000 }));
  return { kind: 'diagnosis', diagnosis: d, pipelineUrl, durations };
}

/**
 * Flow names as hostile as a pipeline's code can make them: a Slack broadcast, Markdown emphasis and
 * a link, HTML, a terminal escape, 300 characters each.
 */
export const HOSTILE_FLOW_NAMES = ['<!channel>', '*bold*_it_~s~', '[link](http://x)', '<b>&amp;</b>`tick`', '\u001b[31mred'].map((head, i) =>
  `${head}_${i}_${'<!here>*_[x](http://y)&'.repeat(20)}`.slice(0, 300),
);

/** The biggest diagnosis we can think of: every rule fired with long titles, many evidence items and long text. */
export function largestDiagnosis(): Diagnosis {
  const long = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');
  const findings: Finding[] = Array.from({ length: 40 }, (_, i) =>
    fakeFinding({
      rule: `rule-${i}`,
      severity: i % 3 === 0 ? 'critical' : i % 3 === 1 ? 'warning' : 'info',
      title: `Finding ${i}: ${long(60, 'slow')}`,
      evidence: Array.from({ length: 14 }, (_, j) => ({
        metric: `metric ${j} ${long(30, 'm')}`,
        value: j % 2 ? 1234567.891 : 'a-string-value-'.repeat(20),
        unit: j % 2 ? 'rows/s' : '',
        threshold: j % 3 ? 1000 : null,
        source: 'event_log:flow_progress',
      })),
    }),
  );
  const recommendations: Recommendation[] = Array.from({ length: 30 }, (_, i) =>
    fakeRecommendation({
      id: `fix-${i}`,
      title: `Fix ${i} ${long(20, 'tune')}`,
      why: long(400, 'because'),
      change: { target: 'spark_conf', key: `spark.some.very.long.key.${'x'.repeat(200)}.${i}`, value: '```'.repeat(3) + 'v'.repeat(500) },
      expected_effect: long(50, 'faster'),
      risk: long(50, 'risky'),
    }),
  );
  return fakeDiagnosis({
    pipeline: { id: 'pl-' + 'x'.repeat(200), name: 'n'.repeat(300) },
    verdict: { bottleneck: 'network', confidence: 0.5, summary: long(800, 'summary') },
    findings,
    recommendations,
    where_time_went: {
      running_s: 86_399,
      critical_path_s: 86_000,
      from_definitions: false,
      flows: HOSTILE_FLOW_NAMES.map((flow, i) => ({ flow, duration_s: 20_000 - i * 1000, critical_s: i < 3 ? 19_000 : 0, share: 0.23 - i * 0.02, critical: i < 3 })),
    },
    gaps: Array.from({ length: 30 }, (_, i) => `gap ${i} ${long(40, 'missing')}`),
    notes: Array.from({ length: 30 }, (_, i) => `note ${i} ${long(40, 'note')}`),
  });
}
