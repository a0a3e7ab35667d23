/**
 * The decision rule (src/experiment/results.ts) on hand-built iterations: labels from the guide
 * (§10.3 improvements in percent; §12.1 Photon pays only when faster by more than its DBU rate),
 * written before running the code.
 */
import { describe, expect, it } from 'vitest';
import { abTestResult, benchmarkResult } from '../../src/experiment/results.js';
import type { IterationResult } from '../../src/experiment/types.js';

const p = { id: 'p1', name: 'orders_silver' };
const it_ = (iteration: number, duration: number, records: number, dollars: number | null, state = 'COMPLETED'): IterationResult => ({ iteration, update_id: `u${iteration}`, state, duration_seconds: duration, records_processed: records, throughput_records_per_sec: records / duration, cluster_dbus: dollars === null ? null : dollars * 2, dollars, dollars_estimated: false });
const ab = (a: IterationResult[], b: IterationResult[]) => abTestResult({ pipeline: p, a: benchmarkResult(p, 'ca', a), b: benchmarkResult(p, 'cb', b), configA: { photon: 'false' }, configB: { photon: 'true' }, recommendationId: 'enable-photon', changes: [{ target: 'pipeline', key: 'photon', value: 'true' }] });
const M = 10_000_000;

describe('benchmark result (§10.1)', () => {
  it('averages, spread and cost per million records over completed runs', () => {
    const r = benchmarkResult(p, 'c', [it_(1, 1000, M, 2), it_(2, 1100, M, 2.2)]);
    expect(r.avg_duration).toBe(1050);
    expect(r.avg_throughput).toBeCloseTo((10_000 + 9090.91) / 2, 1);
    expect(r.stdev_duration).toBeCloseTo(70.7, 1);
    expect(r.total_dollars).toBeCloseTo(4.2, 6);
    expect(r.cost_per_million_records).toBeCloseTo(0.21, 6);
  });
  it('a failed run counts in the cost but not in the averages', () => {
    const r = benchmarkResult(p, 'c', [it_(1, 1000, M, 2), it_(2, 300, 0, 0.5, 'FAILED')]);
    expect(r.avg_duration).toBe(1000);
    expect(r.stdev_duration).toBeNull();
    expect(r.total_dollars).toBe(2.5);
  });
  it('unknown cost stays unknown (null), never zero', () => {
    expect(benchmarkResult(p, 'c', [it_(1, 1000, M, null)]).total_dollars).toBeNull();
  });
});

describe('A/B decision (§10.3, §12.1)', () => {
  it('2.4× faster at twice the DBU rate: cheaper per record → apply', () => {
    const r = ab([it_(1, 1500, M, 2.0), it_(2, 1460, M, 1.95)], [it_(1, 620, M, 1.66), it_(2, 640, M, 1.7)]);
    expect(r.throughput_improvement).toBeGreaterThan(100);
    expect(r.duration_improvement).toBeCloseTo(((1480 - 630) / 1480) * 100, 0);
    expect(r.significant).toBe(true);
    expect(r.recommendation).toBe('apply');
    expect(r.summary).toMatch(/^Apply it/);
  });
  it('1.3× faster at twice the DBU rate: more per record → don\u2019t (for cost)', () => {
    const r = ab([it_(1, 1500, M, 2.0), it_(2, 1480, M, 1.98)], [it_(1, 1150, M, 3.07), it_(2, 1140, M, 3.05)]);
    expect(r.significant).toBe(true);
    expect(r.recommendation).toBe('dont');
    expect(r.summary).toMatch(/more per million records/);
  });
  it('within the run-to-run spread: inconclusive, however the averages lean', () => {
    const r = ab([it_(1, 1500, M, 2), it_(2, 1380, M, 1.8), it_(3, 1620, M, 2.1)], [it_(1, 1450, M, 2), it_(2, 1590, M, 2.1), it_(3, 1400, M, 1.9)]);
    expect(r.significant).toBe(false);
    expect(r.recommendation).toBe('inconclusive');
    expect(r.summary).toMatch(/within the run-to-run spread/);
  });
  it('significantly slower: don\u2019t', () => {
    const r = ab([it_(1, 1000, M, 2), it_(2, 1010, M, 2)], [it_(1, 1400, M, 2.8), it_(2, 1420, M, 2.8)]);
    expect(r.significant).toBe(true);
    expect(r.recommendation).toBe('dont');
    expect(r.summary).toMatch(/slower/);
  });
  it('one completed run per variant: inconclusive, asks for more', () => {
    const r = ab([it_(1, 1500, M, 2)], [it_(1, 600, M, 1.6)]);
    expect(r.significant).toBe(false);
    expect(r.p_value).toBeNull();
    expect(r.recommendation).toBe('inconclusive');
  });
  it('without billing the speed decides, and the sentence says the cost was not measured', () => {
    const r = ab([it_(1, 1500, M, null), it_(2, 1480, M, null)], [it_(1, 620, M, null), it_(2, 630, M, null)]);
    expect(r.recommendation).toBe('apply');
    expect(r.summary).toMatch(/not measured/);
    expect(r.cost_per_million_records_a).toBeNull();
  });
});
