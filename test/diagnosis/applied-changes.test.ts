import { describe, expect, it } from 'vitest';
import {
  describeApplied,
  directionOf,
  inEffect,
  keepsChange,
  latestPerSetting,
  payOff,
  payOffPhrase,
  COST_WORDS,
  reverses,
  type AppliedChange,
} from '../../src/diagnosis/applied-changes.js';
import { fakeCluster, fakeSpec } from '../support/fake-evidence.js';

const AT = Date.parse('2026-11-20T10:00:00Z');
function applied(o: Partial<AppliedChange> & { change: AppliedChange['change'] }): AppliedChange {
  return { auditId: 1, pipelineId: 'p1', recommendationId: 'enable-photon', before: null, appliedAt: AT, by: 'U1', ...o };
}
const photonOn = applied({ change: { target: 'pipeline', key: 'photon', value: 'true' }, before: 'false' });
const raised = applied({ recommendationId: 'raise-max-workers', change: { target: 'cluster', key: 'autoscale.max_workers', value: '16' }, before: '8' });

describe('reverses', () => {
  it('a boolean back to its old value undoes it; the same value does not', () => {
    expect(reverses(photonOn, { target: 'pipeline', key: 'photon', value: 'false' })).toBe(true);
    expect(reverses(photonOn, { target: 'pipeline', key: 'photon', value: 'true' })).toBe(false);
    expect(reverses(photonOn, { target: 'pipeline', key: 'continuous', value: 'false' })).toBe(false);
  });

  it('worker counts are one setting; the opposite direction undoes, the same direction goes on', () => {
    expect(directionOf(raised)).toBe('up');
    expect(reverses(raised, { target: 'cluster', key: 'num_workers', direction: 'down' })).toBe(true);
    expect(reverses(raised, { target: 'cluster', key: 'autoscale.max_workers', value: '10' })).toBe(true);
    expect(reverses(raised, { target: 'cluster', key: 'autoscale.max_workers', value: '24' })).toBe(false);
    expect(reverses(raised, { target: 'cluster', key: 'num_workers', direction: 'up' })).toBe(false);
    // the direction from the fix's id when the old value is unknown
    expect(directionOf({ ...raised, before: null })).toBe('up');
    const reduced = applied({ recommendationId: 'reduce-max-workers', change: { target: 'cluster', key: 'num_workers', value: '6' }, before: '16' });
    expect(reverses(reduced, { target: 'cluster', key: 'autoscale.max_workers', value: '12' })).toBe(true);
  });

  it('node types: back to the old type or another family undoes it; a larger node of the family does not', () => {
    const memory = applied({ recommendationId: 'memory-optimized-instances', change: { target: 'cluster', key: 'node_type_id', value: 'r5.4xlarge' }, before: 'i3.2xlarge' });
    expect(reverses(memory, { target: 'cluster', key: 'node_type_id', value: 'i3.2xlarge' })).toBe(true);
    expect(reverses(memory, { target: 'cluster', key: 'node_type_id', value: 'c5.4xlarge' })).toBe(true);
    expect(reverses(memory, { target: 'cluster', key: 'node_type_id', value: 'r5.8xlarge' })).toBe(false);
  });

  it('sizes with no known direction: only the old value undoes it', () => {
    const overhead = applied({ recommendationId: 'executor-memory-overhead', change: { target: 'spark_conf', key: 'spark.executor.memoryOverhead', value: '4g' }, before: null });
    expect(reverses(overhead, { target: 'spark_conf', key: 'spark.executor.memoryOverhead', value: '8g' })).toBe(false);
    const withBefore = { ...overhead, before: '2g' };
    expect(reverses(withBefore, { target: 'spark_conf', key: 'spark.executor.memoryOverhead', value: '2g' })).toBe(true);
    expect(reverses(withBefore, { target: 'spark_conf', key: 'spark.executor.memoryOverhead', value: '8g' })).toBe(false);
  });
});

describe('inEffect and latestPerSetting', () => {
  it('reads the spec: Photon still on, the ceiling still the applied one', () => {
    expect(inEffect(photonOn, fakeSpec({ photon: true }))).toBe(true);
    expect(inEffect(photonOn, fakeSpec({ photon: false }))).toBe(false);
    expect(inEffect(raised, fakeSpec({ clusters: [fakeCluster({ autoscale: { minWorkers: 1, maxWorkers: 16, mode: 'ENHANCED' } })] }))).toBe(true);
    expect(inEffect(raised, fakeSpec({ clusters: [fakeCluster({ autoscale: { minWorkers: 1, maxWorkers: 12, mode: 'ENHANCED' } })] }))).toBe(false);
    expect(inEffect(raised, undefined)).toBeNull();
  });

  it('a later apply of the same setting replaces the earlier one', () => {
    const later = { ...raised, auditId: 2, appliedAt: AT + 1000, change: { ...raised.change, key: 'num_workers', value: '20' } };
    expect(latestPerSetting([later, raised, photonOn]).map((c) => c.auditId).sort()).toEqual([1, 2]);
    expect(latestPerSetting([later, raised]).map((c) => c.change.value)).toEqual(['20']);
  });
});

describe('payOff', () => {
  const flat = [10, 10.4, 9.8, 10.1, 9.9, 10.2];

  it('clearly cheaper after → paid off (withheld)', () => {
    const p = payOff(flat, [8.6, 8.9, 8.7]);
    expect(p.verdict).toBe('paid-off');
    expect(p.changePercent).toBeCloseTo(-13.5, 0);
    expect(keepsChange(p)).toBe(true);
    expect(payOffPhrase(p, COST_WORDS)).toBe('updates since cost 13% less per million rows: keeping it');
  });

  it('clearly dearer after → did not pay off, with the numbers', () => {
    const p = payOff(flat, [16, 16.4, 15.8, 16.2]);
    expect(p.verdict).toBe('did-not-pay-off');
    expect(keepsChange(p)).toBe(false);
    expect(p.before).toEqual({ updates: 6, median: 10.05 });
    expect(p.after.median).toBeCloseTo(16.1);
    expect(payOffPhrase(p, COST_WORDS)).toBe('the 4 updates since cost 60% more per million rows than the 6 before it (beyond the usual spread of ±10%): it did not pay off');
  });

  it('a noisy near-miss stays a near-miss: within max(10%, the spread) is no clear change', () => {
    // 8% dearer with tidy history: under the 10% floor
    expect(payOff(flat, [10.8, 10.9, 10.85]).verdict).toBe('no-clear-change');
    // 25% dearer, but the updates before swung by ±35%: still noise
    const noisy = [5, 15, 10, 6, 14, 10, 8, 13];
    const p = payOff(noisy, [12.4, 12.6, 12.5]);
    expect(p.noisePercent).toBeGreaterThan(25);
    expect(p.verdict).toBe('no-clear-change');
    expect(keepsChange(p)).toBe(true);
    expect(payOffPhrase(p, COST_WORDS)).toMatch(/^updates since cost 2\d% more per million rows, within the usual spread of ±\d+%: keeping it$/);
  });

  it('too few updates on either side says so and keeps the change', () => {
    expect(payOff(flat, [20, 20]).verdict).toBe('too-early');
    expect(payOffPhrase(payOff(flat, [20]), COST_WORDS)).toBe('1 update since, 3 needed to judge: keeping it for now');
    expect(payOff([10, 10], [20, 20, 20]).verdict).toBe('no-baseline');
    expect(keepsChange(payOff([], [20, 20, 20]))).toBe(true);
  });
});

describe('describeApplied', () => {
  it('says what, when and by whom', () => {
    expect(describeApplied(photonOn)).toBe('Photon was turned on by dlt-doctor on 2026-11-20 (by @U1)');
    expect(describeApplied(raised)).toBe('cluster autoscale.max_workers was set to 16 (was 8; raise-max-workers) by dlt-doctor on 2026-11-20 (by @U1)');
  });
});
