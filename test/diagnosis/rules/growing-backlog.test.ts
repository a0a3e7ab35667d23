import { describe, expect, it } from 'vitest';
import type { BacklogSample } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/growing-backlog.js';
import { T0, fakeCluster, fakeEvidence, fakeFlow, fakeUpdate } from '../../support/fake-evidence.js';

const MIN = 60_000;
/** one sample per `stepMin` minutes with the given values for one metric, the others null */
function backlog(metric: 'bytes' | 'records' | 'files' | 'seconds', values: number[], stepMin = 2): BacklogSample[] {
  return values.map((v, i) => ({ t: T0 + 3 * MIN + i * stepMin * MIN, bytes: null, records: null, files: null, seconds: null, [metric]: v }));
}
/** a streaming flow reading a path or topic (no input dataset): the source is read from its backlog metrics and plan */
const stream = (samples: BacklogSample[], o: Parameters<typeof fakeFlow>[0] = {}) =>
  fakeFlow({ name: 'main.sales.orders_bronze', outputDataset: 'main.sales.orders_bronze', inputDatasets: [], flowType: 'APPEND', backlog: samples, ...o });

// 9 samples two minutes apart: 16 minutes
const growingRecords = [1000, 1200, 1500, 1400, 1900, 2300, 2600, 3100, 3600];

describe('growing-backlog', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update (no backlog series)', evidence: fakeEvidence() },
    { name: 'no flows', evidence: fakeEvidence({ flows: [] }) },
    { name: 'backlog drains', evidence: fakeEvidence({ flows: [stream(backlog('records', [...growingRecords].reverse()))] }) },
    { name: 'grows but over only 8 minutes', evidence: fakeEvidence({ flows: [stream(backlog('records', growingRecords, 1))] }) },
    { name: 'grows only 1.4×', evidence: fakeEvidence({ flows: [stream(backlog('records', [1000, 1050, 1100, 1150, 1200, 1250, 1300, 1350, 1400]))] }) },
    // last ≥ 1.5× first but up-and-down: 4 of 8 steps go down
    { name: 'noisy, not a trend', evidence: fakeEvidence({ flows: [stream(backlog('records', [1000, 3000, 900, 3000, 900, 3000, 900, 3000, 1600]))] }) },
    { name: 'a single sample', evidence: fakeEvidence({ flows: [stream(backlog('records', [5000]))] }) },
    // a full refresh reprocesses every source from the start: a backlog draining (or building) there is expected
    { name: 'a growing backlog during a full refresh', evidence: fakeEvidence({ update: fakeUpdate({ fullRefresh: true }), flows: [stream(backlog('records', growingRecords))] }) },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('warns on a triggered pipeline whose records backlog keeps growing (records only: Kafka or Kinesis, trigger fix)', () => {
    const [r, ...rest] = rule.run(fakeEvidence({ flows: [stream(backlog('records', growingRecords))] }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('growing');
    expect(r!.severity).toBe('warning');
    expect(r!.data).toEqual({ flow: 'main.sales.orders_bronze', metric: 'records', first: 1000, last: 3600, minutes: 16 });
    expect(r!.evidence).toContainEqual({ metric: 'backlog_records growth', value: 3.6, unit: '×', threshold: 1.5, source: 'event_log:flow_progress' });
    expect(r!.evidence).toContainEqual({ metric: 'non-decreasing steps', value: 88, unit: '%', threshold: 70, source: 'event_log:flow_progress' });
    expect(r!.fixes).toEqual([{ id: 'raise-max-workers', params: { flow: 'main.sales.orders_bronze' } }, { id: 'streaming-trigger', params: { flow: 'main.sales.orders_bronze', source: 'records' } }]);
  });

  it.each([
    ['kafka', 'StreamingRelation kafka, [key#1, value#2]'],
    ['kinesis', 'StreamingRelation kinesis, [partitionKey#1, data#2]'],
  ])('a %s plan names the source for the trigger fix', (source, explainText) => {
    const [r] = rule.run(fakeEvidence({ flows: [stream(backlog('records', growingRecords), { explainText })] }));
    expect(r!.fixes).toContainEqual({ id: 'streaming-trigger', params: { flow: 'main.sales.orders_bronze', source } });
    expect(r!.fixes.map((f) => f.id)).not.toContain('autoloader-max-bytes');
  });

  it('a stream reading a table (Delta source) gets the trigger fix for Delta, even with a files backlog', () => {
    const samples = backlog('files', [200, 260, 330, 400, 480, 560, 650, 720, 800]);
    const [r] = rule.run(fakeEvidence({ flows: [stream(samples, { name: 'main.sales.orders_silver', inputDatasets: ['main.sales.orders_bronze'] })] }));
    expect(r!.fixes).toEqual([{ id: 'raise-max-workers', params: { flow: 'main.sales.orders_silver' } }, { id: 'streaming-trigger', params: { flow: 'main.sales.orders_silver', source: 'delta' } }]);
  });

  it('is critical on a continuous pipeline; Auto Loader (files backlog) gets Auto Loader fixes', () => {
    const samples = backlog('files', [200, 260, 330, 400, 480, 560, 650, 720, 800]);
    const [r] = rule.run(fakeEvidence({ spec: { continuous: true }, flows: [stream(samples)] }));
    expect(r!.severity).toBe('critical');
    expect(r!.data).toMatchObject({ metric: 'files', first: 200, last: 800 });
    expect(r!.fixes.map((f) => f.id)).toEqual(['raise-max-workers', 'autoloader-max-bytes', 'autoloader-max-files', 'autoloader-notifications']);
  });

  it('picks the fastest-growing metric, and a backlog growing from zero is maximal', () => {
    const samples = backlog('bytes', [1e9, 1.2e9, 1.4e9, 1.6e9, 1.8e9, 2e9, 2.2e9, 2.4e9, 2.6e9]).map((s, i) => ({ ...s, seconds: i * 30 }));
    const [r] = rule.run(fakeEvidence({ flows: [stream(samples)] }));
    expect(r!.data).toMatchObject({ metric: 'seconds', first: 0, last: 240 });
    expect(r!.strength).toBe(1);
  });

  it('offers no max_workers change on a fixed-size cluster', () => {
    const [r] = rule.run(fakeEvidence({ spec: { clusters: [fakeCluster({ numWorkers: 4, autoscale: null })] }, flows: [stream(backlog('records', growingRecords))] }));
    expect(r!.fixes.map((f) => f.id)).toEqual(['streaming-trigger']);
  });

  it('recognises Auto Loader from the plan when there is no files series', () => {
    const flow = stream(backlog('bytes', [1e9, 1.3e9, 1.6e9, 1.9e9, 2.2e9, 2.5e9, 2.8e9, 3.1e9, 3.4e9]), { explainText: 'StreamingRelation cloudFiles, [value#1]' });
    const [r] = rule.run(fakeEvidence({ flows: [flow] }));
    expect(r!.fixes.map((f) => f.id)).toEqual(['raise-max-workers', 'autoloader-max-bytes', 'autoloader-notifications']);
  });
});

describe('growing-backlog: a flow that kept up, then fell behind', () => {
  /** deterministic noise in [-1, 1) */
  function noise(seed: number) {
    let x = seed;
    return () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 1073741824 - 1;
    };
  }
  /** 8 h of per-minute reports: hovering near 5,000 records, then (from minute `behindAt`) +30,000 a minute ± 25,000 */
  function series(behindAt: number | null, seed = 3, minutes = 480): number[] {
    const r = noise(seed);
    const out: number[] = [];
    let v = 5000;
    for (let m = 0; m < minutes; m++) {
      v = behindAt !== null && m >= behindAt ? Math.max(0, v + 30_000 + r() * 25_000) : Math.max(0, 5000 * (1 + 0.35 * r()));
      out.push(Math.round(v));
    }
    return out;
  }
  const continuous = (values: number[]) =>
    fakeEvidence({ spec: { continuous: true }, flows: [stream(backlog("records", values, 1))] });

  it('finds the last 3 hours of growth in an 8-hour window, and says since when', () => {
    const [r, ...rest] = rule.run(fakeEvidence({ flows: [stream(backlog('records', series(300), 1))] }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('growing');
    // the run starts where falling behind began (minute 300 of 480), not at the window's start
    expect(r!.data!.minutes).toBeGreaterThanOrEqual(175);
    expect(r!.data!.minutes).toBeLessThanOrEqual(185);
    expect(Number(r!.data!.last)).toBeGreaterThan(4_000_000);
  });

  it.each([
    ['hovering noise for 8 hours', series(null, 3)],
    ['hovering noise for 8 hours (another seed)', series(null, 11)],
    // 20 minutes of growth at the end of 8 hours: under a quarter of the span, not yet a trend
    ['a burst in the last 20 minutes', series(460, 5)],
    // grew for 3 hours, then caught up again: the trailing part drains
    ['fell behind, then caught up', [...series(300, 7).slice(0, 420), ...Array.from({ length: 60 }, (_, i) => Math.round(1_800_000 * (1 - i / 60)))]],
  ])('%s: no finding', (_name, values) => {
    expect(rule.run(fakeEvidence({ flows: [stream(backlog('records', values, 1))] }))).toEqual([]);
  });

  it('a continuous pipeline that fell behind mid-window is critical', () => {
    const found = rule.run(continuous(series(300, 13)));
    expect(found.map((f) => f.severity)).toEqual(['critical']);
  });
});
