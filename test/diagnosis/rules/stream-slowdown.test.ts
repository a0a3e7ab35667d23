/**
 * stream-slowdown: a continuous pipeline's streams judged on throughput and batch latency over the
 * recent window against the earlier part of the same update — never on how long the update ran.
 * The series are built the way build-evidence builds them (StreamSeries, one flow_progress report
 * every 15 s, one stream_progress batch per report), with deterministic noise.
 */
import { describe, expect, it } from 'vitest';
import { StreamSeries } from '../../../src/diagnosis/build-evidence/stream-series.js';
import type { BacklogSample, Evidence, FlowInfo } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/stream-slowdown.js';
import { T0, fakeEvidence, fakeFlow, fakeUpdate } from '../../support/fake-evidence.js';
import { jitter } from './helpers.js';

const MIN = 60_000;
const TICK = 15_000;
const START = T0 + 5 * MIN;

interface Shape {
  /** minutes of stream observed */
  minutes: number;
  /** rows per second at minute m */
  rate: (m: number) => number;
  /** micro-batch duration at minute m, ms (no stream_progress events when absent) */
  batchMs?: (m: number) => number;
  /** backlog records at minute m (no backlog metrics when absent) */
  backlog?: (m: number) => number;
  /** relative noise on rows and batch durations, per report */
  noise?: number;
  seed?: number;
}

/** A streaming flow whose progress went through the same StreamSeries the accumulator uses. */
function streamFlow(name: string, s: Shape): FlowInfo {
  const series = new StreamSeries();
  const backlog: BacklogSample[] = [];
  const noise = s.noise ?? 0.2;
  const seed = s.seed ?? 1;
  for (let t = START + TICK; t <= START + s.minutes * MIN; t += TICK) {
    const m = (t - START) / MIN;
    const i = (t - START) / TICK;
    const rows = Math.max(0, Math.round(s.rate(m) * (TICK / 1000) * (1 + noise * jitter(i, 0, seed))));
    series.report(t, rows);
    if (s.batchMs) series.batch(t, Math.max(1, s.batchMs(m) * (1 + noise * jitter(i, 1, seed + 1))));
    if (s.backlog && i % 4 === 0) backlog.push({ t, bytes: null, records: Math.max(0, Math.round(s.backlog(m) * (1 + 0.1 * jitter(i, 2, seed)))), files: null, seconds: null });
  }
  return fakeFlow({ name, outputDataset: name, stream: series.values(), backlog, statuses: [{ t: START, status: 'RUNNING' }], finalStatus: 'RUNNING', endedAt: null, durationS: null });
}

/** A continuous update still running (or stopped at `endedMin`) with these flows. */
function continuous(flows: FlowInfo[], o: { continuous?: boolean; endedAt?: number } = {}): Evidence {
  return fakeEvidence({
    spec: { continuous: o.continuous ?? true },
    update: fakeUpdate({ state: o.endedAt ? 'CANCELED' : 'RUNNING', endedAt: o.endedAt ?? null, durationS: o.endedAt ? (o.endedAt - T0) / 1000 : null }),
    flows,
  });
}

const steady = (rate: number) => () => rate;
/** `before` rows/s until minute `at`, then `after` */
const step = (at: number, before: number, after: number) => (m: number) => (m < at ? before : after);
const rising = (from: number, perMin: number) => (m: number) => from + perMin * m;

describe('stream-slowdown', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid: { name: string; evidence: Evidence }[] = [
    { name: 'a noisy steady stream (±35% per report, 8 h)', evidence: continuous([streamFlow('bronze', { minutes: 480, rate: steady(2000), batchMs: steady(8000), backlog: steady(5000), noise: 0.35 })]) },
    {
      name: 'a noisy stream whose rate wanders ±20% by the hour',
      evidence: continuous([streamFlow('bronze', { minutes: 420, rate: (m) => 2000 * (1 + 0.2 * Math.sin(m / 40)), backlog: steady(5000), noise: 0.3 })]),
    },
    { name: 'a dip of 25% (under the 30% threshold) with a growing backlog', evidence: continuous([streamFlow('bronze', { minutes: 300, rate: step(240, 2000, 1500), backlog: rising(1000, 20) })]) },
    {
      name: 'a brief stall: 20 min without rows in the last hour (0.67× on average, not sustained)',
      evidence: continuous([streamFlow('bronze', { minutes: 300, rate: (m) => (m > 245 && m < 265 ? 0 : 2000), backlog: steady(5000) })]),
    },
    {
      name: 'warm-up: catching up on a backlog for 90 min, then at the input’s pace',
      evidence: continuous([streamFlow('bronze', { minutes: 300, rate: step(90, 6000, 2000), backlog: (m) => (m < 90 ? 500_000 - 5500 * m : 2000) })]),
    },
    { name: 'the source sent less: throughput halved, backlog empty', evidence: continuous([streamFlow('bronze', { minutes: 300, rate: step(240, 2000, 900), backlog: steady(0) })]) },
    { name: 'the source sent less: throughput halved, backlog draining', evidence: continuous([streamFlow('bronze', { minutes: 300, rate: step(240, 2000, 900), backlog: (m) => (m < 240 ? 40_000 : 40_000 - 600 * (m - 240)) })]) },
    { name: 'too young to judge: 40 min of stream', evidence: continuous([streamFlow('bronze', { minutes: 40, rate: step(25, 2000, 500), backlog: rising(1000, 200) })]) },
    { name: 'a triggered pipeline (its updates are judged on duration)', evidence: continuous([streamFlow('bronze', { minutes: 300, rate: step(240, 2000, 500), backlog: rising(1000, 200) })], { continuous: false }) },
    { name: 'a trickle: under 1,000 rows in the earlier window', evidence: continuous([streamFlow('bronze', { minutes: 300, rate: step(240, 0.02, 0.001), backlog: rising(10, 1) })]) },
    {
      name: 'batches a little slower (1.3×, under 1.5×) with rows steady',
      evidence: continuous([streamFlow('bronze', { minutes: 300, rate: steady(2000), batchMs: step(240, 8000, 10_400), backlog: steady(5000) })]),
    },
    { name: 'no stream progress at all', evidence: continuous([fakeFlow({ stream: [] })]) },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('throughput halved over the last hour while the backlog grew: critical, with both windows in the evidence', () => {
    const e = continuous([
      streamFlow('main.web.bronze_clicks', { minutes: 55 * 60 + 55, rate: step(55 * 60 - 5, 2000, 900), batchMs: steady(8000), backlog: (m) => (m < 55 * 60 - 5 ? 5000 : 5000 + 400 * (m - (55 * 60 - 5))) }),
      streamFlow('main.web.silver_sessions', { minutes: 55 * 60 + 55, rate: steady(1200), backlog: steady(100), seed: 7 }),
    ]);
    const [r, ...rest] = rule.run(e);
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('throughputDrop');
    expect(r!.severity).toBe('critical');
    expect(r!.data).toMatchObject({ flow: 'main.web.bronze_clicks', recentMin: 60, earlierMin: 360, backlog: 'its backlog grew' });
    expect(Number(r!.data!.ratio)).toBeGreaterThan(0.4);
    expect(Number(r!.data!.ratio)).toBeLessThan(0.5);
    const metrics = r!.evidence.map((x) => x.metric);
    expect(metrics).toEqual(expect.arrayContaining(['throughput, last 60 min', 'throughput, 360 min before', 'throughput ratio', 'backlog over the last window']));
    const recent = r!.evidence.find((x) => x.metric === 'throughput, last 60 min')!;
    expect(recent.unit).toBe('rows/s');
    expect(Number(recent.value)).toBeGreaterThan(800);
    expect(Number(recent.value)).toBeLessThan(1000);
    expect(recent.threshold).toBeCloseTo(Number(r!.evidence.find((x) => x.metric === 'throughput, 360 min before')!.value) * 0.7, 0);
    // the update's length is nowhere: 55 h is how long it was left running, not a performance figure
    const text = rule.meta.messages[r!.messageId].replace(/{{(\w+)}}/g, (_, k: string) => String(r!.data![k]));
    expect(text).toMatch(/^main\.web\.bronze_clicks slowed down: 9\d\d rows\/s over the last 60 min against (1,9\d\d|2,0\d\d) rows\/s in the 360 min before \(0\.4\d×\) while its backlog grew$/);
    expect(text).not.toMatch(/55h|baseline|median/);
  });

  it('a sustained 35% drop with the backlog holding: a warning', () => {
    const [r] = rule.run(continuous([streamFlow('bronze', { minutes: 300, rate: step(238, 2000, 1300), backlog: steady(20_000) })]));
    expect(r!.messageId).toBe('throughputDrop');
    expect(r!.severity).toBe('warning');
    expect(r!.data).toMatchObject({ backlog: 'its backlog did not shrink' });
  });

  it('micro-batches taking 2.5× as long (stream_progress batchDuration) while the backlog grows', () => {
    const [r] = rule.run(continuous([streamFlow('bronze', { minutes: 300, rate: steady(2000), batchMs: step(238, 8000, 20_000), backlog: rising(1000, 30) })]));
    expect(r!.messageId).toBe('latencyGrowth');
    expect(r!.severity).toBe('warning');
    expect(Number(r!.data!.ratio)).toBeGreaterThanOrEqual(2.2);
    expect(Number(r!.data!.ratio)).toBeLessThanOrEqual(2.8);
    expect(r!.evidence).toContainEqual(expect.objectContaining({ metric: 'batch latency, last 60 min', unit: 's', source: 'event_log:stream_progress' }));
  });

  it('a drop with no backlog metrics is only info: less input would look the same', () => {
    const [r] = rule.run(continuous([streamFlow('bronze', { minutes: 300, rate: step(238, 2000, 800) })]));
    expect(r!.messageId).toBe('throughputDropUnknownInput');
    expect(r!.severity).toBe('info');
  });

  it('a younger update: the recent window is a third of what was observed after warm-up, and it says so', () => {
    const [r] = rule.run(continuous([streamFlow('bronze', { minutes: 95, rate: step(65, 2000, 700), backlog: rising(1000, 300) })]));
    expect(r!.messageId).toBe('throughputDrop');
    expect(r!.data).toMatchObject({ recentMin: 30, earlierMin: 60 });
  });

  it('a stopped continuous update is judged up to its end, not up to now', () => {
    const flow = streamFlow('bronze', { minutes: 300, rate: step(238, 2000, 800), backlog: rising(1000, 300) });
    const end = START + 300 * MIN;
    expect(rule.run(continuous([flow], { endedAt: end }))).toHaveLength(1);
    // stopped before the drop: nothing to report
    expect(rule.run(continuous([flow], { endedAt: START + 230 * MIN }))).toEqual([]);
  });
});
