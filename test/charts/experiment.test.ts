import { describe, expect, it } from 'vitest';
import { experimentChartPng, experimentChartSvg, throughputBars } from '../../src/charts/experiment.js';
import type { ExperimentOutcome, IterationResult } from '../../src/experiment/types.js';
import { abTestResult, benchmarkResult } from '../../src/experiment/results.js';

const it_ = (iteration: number, tput: number, state = 'COMPLETED'): IterationResult => ({ iteration, update_id: `u${iteration}`, state, duration_seconds: 1000, records_processed: tput * 1000, throughput_records_per_sec: tput, cluster_dbus: 1, dollars: 1, dollars_estimated: false });
const p = { id: 'p', name: 'orders_silver' };
const outcome = (a: IterationResult[], b: IterationResult[]): ExperimentOutcome => ({ experimentId: 'abc123', state: 'completed', message: null, cleanup: { deleted: [], left: [], notes: [] }, result: abTestResult({ pipeline: p, a: benchmarkResult(p, 'a', a), b: benchmarkResult(p, 'b', b), configA: {}, configB: {}, recommendationId: null, changes: [] }) });

describe('experiment chart', () => {
  it('bars in the order the runs ran, A1 B1 A2 B2, a failed run faded', () => {
    const o = outcome([it_(1, 100), it_(2, 110)], [it_(1, 250), it_(2, 240, 'FAILED')]);
    expect(throughputBars(o).map((b) => `${b.label}:${b.value}:${b.completed}`)).toEqual(['A1:100:true', 'B1:250:true', 'A2:110:true', 'B2:240:false']);
    const svg = experimentChartSvg(o);
    expect(svg).toContain('fill-opacity="0.35"');
    expect(svg).toContain('B with the change');
  });
  it('a benchmark has one colour, no legend, and renders to a PNG', () => {
    const o: ExperimentOutcome = { experimentId: 'abc123', state: 'completed', message: null, cleanup: { deleted: [], left: [], notes: [] }, result: benchmarkResult(p, 'c', [it_(1, 100), it_(2, 120)]) };
    expect(throughputBars(o).map((b) => b.label)).toEqual(['#1', '#2']);
    expect(experimentChartSvg(o)).not.toContain('B with the change');
    const png = experimentChartPng(o);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});
