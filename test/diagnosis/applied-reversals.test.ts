/**
 * why-slow never recommends undoing a change dlt-doctor applied (issue 13 item 6) unless the
 * updates since were clearly slower: recommendations.ts `reversalOf`, through buildRecommendations
 * and diagnose (notes).
 */
import { describe, expect, it } from 'vitest';
import type { AppliedChange } from '../../src/diagnosis/applied-changes.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import type { HistoryEntry } from '../../src/diagnosis/evidence.js';
import { buildRecommendations, updateTimesAround, type WithheldFix } from '../../src/diagnosis/recommendations.js';
import type { FixDefinition } from '../../src/diagnosis/types.js';
import { fakeCluster, fakeEvidence, fakeUpdate, T0 } from '../support/fake-evidence.js';
import { finding, standInFix, standInRule } from './stand-in-rules.js';

const DAY = 86_400_000;
const PID = '0f1e2d3c-aaaa-4bbb-8ccc-000000000001';
const catalog = (...defs: FixDefinition[]) => new Map(defs.map((d) => [d.id, d]));
const defs = catalog(
  standInFix('reduce-max-workers', 'scaling', { change: { target: 'cluster', key: 'autoscale.max_workers', value: '10' }, impact: 0.6 }),
  standInFix('enhanced-autoscaling', 'scaling', { change: { target: 'cluster', key: 'autoscale.mode', value: 'ENHANCED' }, impact: 0.3 }),
);
const findings = [finding({ category: 'scaling', fixes: [{ id: 'reduce-max-workers' }, { id: 'enhanced-autoscaling' }] })];

/** the bot raised max_workers 8 → 16 five days ago */
const raised: AppliedChange = {
  auditId: 7,
  pipelineId: PID,
  recommendationId: 'raise-max-workers',
  change: { target: 'cluster', key: 'autoscale.max_workers', value: '16' },
  before: '8',
  appliedAt: T0 - 5 * DAY + 3_600_000,
  by: 'U42',
};

/** 10 updates a day apart before `now`; those after the change take `after` s, the others 1000 s (± a little) for 10M rows */
function history(after: number): HistoryEntry[] {
  return Array.from({ length: 10 }, (_, i) => {
    const startedAt = T0 - (i + 1) * DAY;
    const jitter = ((i * 37) % 41) - 20;
    return { updateId: `u-${i}`, state: 'COMPLETED', startedAt, durationS: (startedAt >= raised.appliedAt ? after : 1000) + jitter, outputRows: 10_000_000, fullRefresh: false };
  });
}
const spec16 = { clusters: [fakeCluster({ autoscale: { minWorkers: 2, maxWorkers: 16, mode: 'LEGACY' } })] };
const evidence = (after: number, spec = spec16) => fakeEvidence({ spec, history: history(after), update: fakeUpdate({ durationS: after, outputRows: 10_000_000 }) });

describe('why-slow withholds the reverse of an applied change', () => {
  it('splits the updates at the change: seconds per million rows before (newest 10) and since', () => {
    const t = updateTimesAround(evidence(600), raised.appliedAt);
    expect(t.perRows).toBe(true);
    expect(t.after).toHaveLength(5); // 4 days of history + the update diagnosed
    expect(t.before).toHaveLength(6);
    expect(t.after.every((v) => v < 65)).toBe(true);
  });

  it('paid off (updates since ~40% faster): reduce-max-workers is withheld with a note; other fixes of the pipeline stay', () => {
    const withheld: WithheldFix[] = [];
    const recs = buildRecommendations(findings, evidence(600), 'scaling', defs, [raised], withheld);
    expect(recs.map((r) => r.id)).toEqual(['enhanced-autoscaling']);
    expect(withheld.map((w) => [w.id, w.payOff.verdict])).toEqual([['reduce-max-workers', 'paid-off']]);
    expect(withheld[0]!.line).toBe(
      'Not recommending reduce-max-workers: it would undo what dlt-doctor applied. cluster autoscale.max_workers was set to 16 (was 8; raise-max-workers) by dlt-doctor on 2026-11-15 (by @U42); updates since took 39% less time per million rows: keeping it.',
    );
  });

  it('no clear change (within the spread) is withheld too: no flip-flopping on noise', () => {
    const withheld: WithheldFix[] = [];
    expect(buildRecommendations(findings, evidence(960), 'scaling', defs, [raised], withheld).map((r) => r.id)).toEqual(['enhanced-autoscaling']);
    expect(withheld[0]!.payOff.verdict).toBe('no-clear-change');
  });

  it('clearly slower since the change: the reverse is recommended again', () => {
    const withheld: WithheldFix[] = [];
    const recs = buildRecommendations(findings, evidence(1500), 'scaling', defs, [raised], withheld);
    expect(recs.map((r) => r.id)).toEqual(['reduce-max-workers', 'enhanced-autoscaling']);
    expect(withheld).toEqual([]);
  });

  it('not withheld when the change is no longer in place, belongs to another pipeline, or goes the same way', () => {
    const spec12 = { clusters: [fakeCluster({ autoscale: { minWorkers: 2, maxWorkers: 12, mode: 'LEGACY' } })] };
    expect(buildRecommendations(findings, evidence(600, spec12), 'scaling', defs, [raised]).map((r) => r.id)).toContain('reduce-max-workers');
    expect(buildRecommendations(findings, evidence(600), 'scaling', defs, [{ ...raised, pipelineId: 'other' }]).map((r) => r.id)).toContain('reduce-max-workers');
    const reduced: AppliedChange = { ...raised, recommendationId: 'reduce-max-workers', change: { ...raised.change, value: '16' }, before: '24' };
    expect(buildRecommendations(findings, evidence(600), 'scaling', defs, [reduced]).map((r) => r.id)).toContain('reduce-max-workers');
    expect(buildRecommendations(findings, evidence(600), 'scaling', defs, []).map((r) => r.id)).toContain('reduce-max-workers');
  });

  it('diagnose: the withheld fix is not in the recommendations, the note says why; without applied changes nothing changes', () => {
    const rules = [standInRule({ id: 'stand-in-scaling', category: 'scaling', severity: 'critical', fixes: [{ id: 'reduce-max-workers' }, { id: 'enhanced-autoscaling' }] })];
    const e = evidence(600);
    const plain = diagnose(e, { rules, catalog: defs });
    expect(plain.recommendations.map((r) => r.id)).toEqual(['reduce-max-workers', 'enhanced-autoscaling']);
    const d = diagnose(e, { rules, catalog: defs, applied: [raised] });
    expect(d.recommendations.map((r) => r.id)).toEqual(['enhanced-autoscaling']);
    expect(d.notes.some((n) => n.startsWith('Not recommending reduce-max-workers: it would undo what dlt-doctor applied.'))).toBe(true);
    expect(d.verdict.summary).not.toContain('reduce-max-workers');
  });
});
