/**
 * A continuous update's streams, from raw event-log rows to the recent-window judgement: noisy,
 * irregular flow_progress reports (details.flow_progress.status / metrics, origin.flow_name),
 * stream_progress events whose details.stream_progress.progress_json is a JSON string
 * (StreamingQueryProgress-like: batchId, batchDuration, durationMs), and a failed flow's
 * flow_progress FAILED event with error.exceptions[] (event log schema,
 * docs.databricks.com/aws/en/ldp/monitor-event-log-schema).
 */
import { describe, expect, it } from 'vitest';
import { EventRowSchema, GetPipelineSchema } from '../../src/databricks/schemas.js';
import { MAX_STREAM_BUCKETS } from '../../src/diagnosis/build-evidence/stream-series.js';
import { EventAccumulator, buildEvidence } from '../../src/diagnosis/build-evidence/index.js';
import { classify } from '../../src/diagnosis/classify.js';
import { rule as streamSlowdown } from '../../src/diagnosis/rules/stream-slowdown.js';
import { rule as updateFailed } from '../../src/diagnosis/rules/update-failed.js';
import { MIN, S, T0, flowProgress, rawEvent, rawPipeline, updateEvents, type RawEvent } from '../support/raw-events.js';
import { jitter } from './rules/helpers.js';

const RUN_START = T0 + 55 * S;

function build(raws: RawEvent[], continuous = true) {
  const acc = new EventAccumulator();
  for (const r of raws) acc.add(EventRowSchema.parse(r));
  const p = rawPipeline();
  (p.spec as Record<string, unknown>).continuous = continuous;
  return buildEvidence({ pipeline: GetPipelineSchema.parse(p), updates: null, events: acc, nodeTimeline: null, cost: null });
}

interface StreamShape {
  flow: string;
  minutes: number;
  /** rows per second at minute m */
  rate: (m: number) => number;
  /** micro-batch duration at minute m, ms */
  batchMs?: (m: number) => number;
  /** backlog_records at minute m */
  backlog?: (m: number) => number;
}

/**
 * A running continuous update and one stream's events: a flow_progress report every 20 s ± 8 s with
 * ±30% rows, a status-only RUNNING event now and then, a stream_progress event per report, and
 * one malformed progress_json.
 */
function continuousUpdate(shapes: StreamShape[]): { raws: RawEvent[]; rows: Map<string, number>; reports: Map<string, number>; batches: Map<string, number>; lastT: number } {
  const raws: RawEvent[] = [...updateEvents({ id: 'upd-1', start: T0, phases: [['QUEUED', 5], ['INITIALIZING', 30], ['SETTING_UP_TABLES', 20], ['RUNNING', 0]], end: null })];
  const rows = new Map<string, number>();
  const reports = new Map<string, number>();
  const batches = new Map<string, number>();
  let lastT = 0;
  shapes.forEach((s, k) => {
    raws.push(flowProgress({ t: RUN_START, flow: s.flow, status: 'STARTING' }), flowProgress({ t: RUN_START + 5 * S, flow: s.flow, status: 'RUNNING' }));
    let t = RUN_START + 20 * S;
    for (let i = 0; t <= RUN_START + s.minutes * MIN; i++) {
      const m = (t - RUN_START) / MIN;
      const n = Math.max(0, Math.round(s.rate(m) * 20 * (1 + 0.3 * jitter(i, k))));
      const metrics: Record<string, unknown> = { num_output_rows: n, num_upserted_rows: 0, executor_time_ms: 9000, executor_cpu_time_ms: 6000 };
      if (s.backlog) metrics.backlog_records = Math.max(0, Math.round(s.backlog(m) * (1 + 0.1 * jitter(i, k + 5))));
      raws.push(flowProgress({ t, flow: s.flow, status: 'RUNNING', metrics }));
      rows.set(s.flow, (rows.get(s.flow) ?? 0) + n);
      reports.set(s.flow, (reports.get(s.flow) ?? 0) + 1);
      if (s.batchMs) {
        const progress = { id: 'q-1', runId: 'r-1', batchId: i, batchDuration: Math.round(s.batchMs(m) * (1 + 0.2 * jitter(i, k + 9))), durationMs: { addBatch: 5000, triggerExecution: 6000 } };
        raws.push(rawEvent({ type: 'stream_progress', t: t + 500, flow: s.flow, level: 'METRICS', details: { stream_progress: { progress_json: JSON.stringify(progress) } } }));
        batches.set(s.flow, (batches.get(s.flow) ?? 0) + 1);
      }
      if (i % 17 === 0) raws.push(flowProgress({ t: t + 1000, flow: s.flow, status: 'RUNNING' }));
      lastT = Math.max(lastT, s.batchMs ? t + 500 : t);
      t += 20 * S + Math.round(8 * S * jitter(i, k + 3));
    }
    raws.push(rawEvent({ type: 'stream_progress', t: RUN_START + 30 * MIN, flow: s.flow, level: 'METRICS', details: { stream_progress: { progress_json: '{"batchId": 12, "batchDur' } } }));
  });
  return { raws, rows, reports, batches, lastT };
}

describe('buildEvidence: a continuous update’s streams', () => {
  it('folds every report’s rows and every stream_progress batchDuration into the flow’s buckets; the series ends at the newest event', () => {
    const u = continuousUpdate([{ flow: 'main.web.bronze_clicks', minutes: 180, rate: () => 2000, batchMs: () => 8000, backlog: () => 4000 }]);
    const ev = build(u.raws);
    const f = ev.flows.find((x) => x.name === 'main.web.bronze_clicks')!;
    expect(f.stream.length).toBeGreaterThan(150);
    expect(f.stream.reduce((a, s) => a + s.rows, 0)).toBe(u.rows.get(f.name));
    expect(f.stream.reduce((a, s) => a + s.reports, 0)).toBe(u.reports.get(f.name));
    // the malformed progress_json is skipped, not fatal
    expect(f.stream.reduce((a, s) => a + s.batches, 0)).toBe(u.batches.get(f.name));
    const batchMean = f.stream.reduce((a, s) => a + (s.batchMs ?? 0) * s.batches, 0) / u.batches.get(f.name)!;
    expect(batchMean).toBeGreaterThan(7200);
    expect(batchMean).toBeLessThan(8800);
    const last = f.stream[f.stream.length - 1]!;
    expect(last.t + last.spanS * 1000).toBe(u.lastT);
    expect(f.stream.every((s, i) => i === 0 || s.t > f.stream[i - 1]!.t)).toBe(true);
  });

  it('a stream left running for days stays bounded and loses no rows', () => {
    const u = continuousUpdate([{ flow: 'main.web.bronze_clicks', minutes: 20 * 60, rate: () => 500 }]);
    const f = build(u.raws).flows.find((x) => x.name === 'main.web.bronze_clicks')!;
    expect(f.stream.length).toBeLessThanOrEqual(MAX_STREAM_BUCKETS);
    expect(f.stream[0]!.spanS).toBeGreaterThanOrEqual(120);
    expect(f.stream.reduce((a, s) => a + s.rows, 0)).toBe(u.rows.get(f.name));
  });

  it('end to end: a stream whose last hour runs at half its rate while its backlog grows is a slowdown, with the window in the reply; a noisy steady one is not', () => {
    const slow = build(
      continuousUpdate([
        { flow: 'main.web.bronze_clicks', minutes: 6 * 60, rate: (m) => (m < 5 * 60 - 2 ? 2000 : 950), batchMs: () => 8000, backlog: (m) => (m < 5 * 60 ? 4000 : 4000 + 300 * (m - 5 * 60)) },
        { flow: 'main.web.silver_sessions', minutes: 6 * 60, rate: () => 800, backlog: () => 0 },
      ]).raws,
    );
    const findings = streamSlowdown.run(slow);
    expect(findings.map((r) => [r.messageId, r.data?.flow, r.severity])).toEqual([['throughputDrop', 'main.web.bronze_clicks', 'critical']]);
    expect(findings[0]!.data).toMatchObject({ recentMin: 60, earlierMin: 295 });

    const steady = build(continuousUpdate([{ flow: 'main.web.bronze_clicks', minutes: 6 * 60, rate: () => 2000, batchMs: () => 8000, backlog: () => 4000 }]).raws);
    expect(streamSlowdown.run(steady)).toEqual([]);
    // the verdict states the window, never the update's length against a baseline
    const v = classify([], steady);
    expect(v.summary).toMatch(/^Healthy: continuous update, still running, throughput over the last 1h at (0\.9\d|1\.0\d|1\.1\d)× that of the 4h 5[45]m before \(main\.web\.bronze_clicks\); no bottleneck found\b/);
    expect(v.summary).not.toMatch(/median|baseline/);
  });

  it('a failed flow: its FAILED flow_progress event’s status and exception reach the update-failed finding, ahead of the update-level error', () => {
    const raws: RawEvent[] = [
      ...updateEvents({ id: 'upd-1', start: T0, phases: [['QUEUED', 5], ['INITIALIZING', 30], ['SETTING_UP_TABLES', 20], ['RUNNING', 900]], end: 'FAILED' }),
      flowProgress({ t: RUN_START, flow: 'main.sales.orders_silver', status: 'RUNNING' }),
      rawEvent({
        type: 'flow_progress',
        t: RUN_START + 800 * S,
        flow: 'main.sales.orders_silver',
        level: 'ERROR',
        message: "Flow 'main.sales.orders_silver' has FAILED.",
        details: { flow_progress: { status: 'FAILED' } },
        error: {
          fatal: false,
          exceptions: [
            { class_name: 'org.apache.spark.SparkException', message: 'Job aborted due to stage failure: Task 0 in stage 41.0 failed 4 times, most recent failure: Lost task 0.3 in stage 41.0 (TID 912) (10.0.2.7 executor 3): ExecutorLostFailure (executor 3 exited caused by one of the running tasks) Reason: Command exited with code 137\nDriver stacktrace:\n\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2984)', stack: [] },
          ],
        },
      }),
      rawEvent({ type: 'update_progress', t: RUN_START + 805 * S, level: 'ERROR', message: 'Update upd-1 is FAILED.', details: { update_progress: { state: 'FAILED' } }, error: { fatal: true, exceptions: [{ class_name: 'com.databricks.pipelines.UpdateFailedException', message: 'Update failed' }] } }),
    ];
    const ev = build(raws, false);
    expect(ev.errors.find((e) => e.eventType === 'flow_progress')).toMatchObject({ flowName: 'main.sales.orders_silver', flowStatus: 'FAILED' });
    const [r] = updateFailed.run(ev);
    expect(r!.data).toMatchObject({
      inFlow: ' in flow main.sales.orders_silver',
      exception: 'org.apache.spark.SparkException',
      message: 'Job aborted due to stage failure: Task 0 in stage 41.0 failed 4 times, most recent failure: Lost task 0.3 in stage 41.0 (TID 912) (10.0.2.7 executor 3): ExecutorLostFailure (executor 3 exited caused by one of the running tasks) Reason: Command exited with code 137',
    });
  });
});
