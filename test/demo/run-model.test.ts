/**
 * The demo run model (src/demo/run-model.ts): how much faster a replayed run's running phase gets
 * for the settings it starts with, per the tuning guide (docs/guide.md §4.2, §4.4, §12.1), and the
 * seeded run-to-run noise.
 */
import { describe, expect, it } from 'vitest';
import { noiseFactor, runModel, usesPythonUdf } from '../../src/demo/run-model.js';

type Json = Record<string, unknown>;
const spec = (o: { photon?: boolean; max?: number; workers?: number; conf?: Json } = {}): Json => ({
  photon: o.photon ?? false,
  clusters: [
    {
      label: 'default',
      node_type_id: 'i3.2xlarge',
      ...(o.workers !== undefined ? { num_workers: o.workers } : { autoscale: { min_workers: 1, max_workers: o.max ?? 8, mode: 'ENHANCED' } }),
      ...(o.conf ? { spark_conf: o.conf } : {}),
    },
  ],
});
const settings = (expected: string, scenario: string, oldSpec: Json, newSpec: Json) => runModel({ expected, scenario, oldSpec, newSpec, seed: 'x' }).settings;

describe('run model: settings', () => {
  it('Photon off → on: 2–3× on a CPU-bound SQL template, little on a Python UDF one, less elsewhere', () => {
    const on = (expected: string, scenario: string) => settings(expected, scenario, spec(), spec({ photon: true }));
    expect(on('cpu', 'cpu-saturation')).toBeGreaterThanOrEqual(2);
    expect(on('cpu', 'cpu-saturation')).toBeLessThanOrEqual(3);
    expect(on('cpu', 'python-udf')).toBeGreaterThanOrEqual(1);
    expect(on('cpu', 'python-udf')).toBeLessThan(1.15);
    expect(on('io', 'io')).toBeCloseTo(1.3, 5);
    expect(on('network', 'skew')).toBeCloseTo(1.1, 5);
    expect(on('network', 'network')).toBeCloseTo(1.1, 5);
    expect(on('memory', 'memory')).toBeCloseTo(1.2, 5);
    expect(on('none', 'healthy')).toBeCloseTo(1.2, 5);
    expect(on('planning', 'mv-full-recompute')).toBeCloseTo(1.2, 5);
    expect(on('startup', 'slow-startup')).toBeCloseTo(1.2, 5);
    // and back off: the inverse
    expect(settings('cpu', 'cpu-saturation', spec({ photon: true }), spec())).toBeCloseTo(1 / 2.4, 5);
  });

  it('more workers: ≈ r^0.85 when CPU-bound or pinned at the ceiling, ≈ 1 when skewed, clamped to [0.25, 4]', () => {
    const twice = (expected: string, scenario: string) => settings(expected, scenario, spec({ max: 8 }), spec({ max: 16 }));
    expect(twice('cpu', 'cpu-saturation')).toBeCloseTo(2 ** 0.85, 5);
    expect(twice('scaling', 'autoscale-ceiling')).toBeCloseTo(2 ** 0.85, 5);
    expect(settings('scaling', 'over-provisioned', spec({ workers: 4 }), spec({ workers: 8 }))).toBeCloseTo(2 ** 0.85, 5);
    expect(twice('network', 'skew')).toBeCloseTo(1, 5);
    expect(twice('io', 'io')).toBeCloseTo(2 ** 0.5, 5);
    expect(twice('memory', 'memory')).toBeCloseTo(2 ** 0.5, 5);
    expect(twice('none', 'healthy')).toBeCloseTo(2 ** 0.2, 5);
    expect(settings('cpu', 'cpu-saturation', spec({ max: 2 }), spec({ max: 64 }))).toBe(4);
    expect(settings('cpu', 'cpu-saturation', spec({ max: 64 }), spec({ max: 2 }))).toBe(0.25);
    // Photon and workers together, still clamped
    expect(settings('cpu', 'cpu-saturation', spec({ max: 8 }), spec({ max: 16, photon: true }))).toBe(4);
  });

  it('a template whose flow plans run Python UDFs gains little from Photon, whatever its scenario (§4.4)', () => {
    const fd = (plan: string) => ({ event_type: 'flow_definition', details: JSON.stringify({ flow_definition: { explain_text: plan } }) });
    const udf = [fd('== Physical Plan ==\nAppendData\n+- ArrowEvalPython [score(amount#3)#41], [pythonUDF0#42], 200'), fd('HashAggregate')];
    expect(usesPythonUdf(udf)).toBe(true);
    expect(usesPythonUdf([fd('== Physical Plan ==\n+- BatchEvalPython [f(x#1)#2]')])).toBe(true);
    expect(usesPythonUdf([fd('SortMergeJoin'), { event_type: 'flow_progress', details: '{}' }])).toBe(false);
    const m = runModel({ expected: 'cpu', scenario: 'cpu-saturation', pythonUdf: true, oldSpec: spec(), newSpec: spec({ photon: true }), seed: 'x' });
    expect(m.settings).toBeLessThan(1.15);
  });

  it('a change the model does not know has no effect', () => {
    expect(settings('cpu', 'cpu-saturation', spec(), spec({ conf: { 'spark.sql.shuffle.partitions': '800' } }))).toBe(1);
    const same = runModel({ expected: 'cpu', scenario: 'cpu-saturation', oldSpec: spec(), newSpec: spec(), seed: 'p/run/1' });
    expect(same.settings).toBe(1);
    expect(same.speedup).toBeCloseTo(1 / same.noise, 10);
  });
});

describe('run model: noise', () => {
  it('is deterministic per seed and spreads identical runs by a few percent', () => {
    expect(noiseFactor('p-1/run/3')).toBe(noiseFactor('p-1/run/3'));
    expect(noiseFactor('p-1/run/3')).not.toBe(noiseFactor('p-1/run/4'));
    const xs = Array.from({ length: 20 }, (_, i) => runModel({ expected: 'cpu', scenario: 'cpu-saturation', oldSpec: spec(), newSpec: spec(), seed: `pipe/run/${i + 1}` }).speedup);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
    expect(sd / mean).toBeGreaterThan(0.01);
    expect(sd / mean).toBeLessThan(0.1);
    expect(Math.abs(mean - 1)).toBeLessThan(0.05);
  });
});
