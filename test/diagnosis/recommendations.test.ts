import { describe, expect, it } from 'vitest';
import { FIXES, FIXES_BY_ID } from '../../src/diagnosis/fixes/index.js';
import { buildRecommendations } from '../../src/diagnosis/recommendations.js';
import type { FixDefinition } from '../../src/diagnosis/types.js';
import { fakeEvidence } from '../support/fake-evidence.js';
import { finding, standInFix } from './stand-in-rules.js';

const catalog = (...defs: FixDefinition[]) => new Map(defs.map((d) => [d.id, d]));

describe('buildRecommendations', () => {
  it('dedupes by fix id, keeping the strongest request', () => {
    const seen: unknown[] = [];
    const defs = catalog(
      standInFix('raise-max-workers', 'scaling', (params) => {
        seen.push(params);
        return { why: `to ${params.to}`, change: { target: 'cluster', key: 'autoscale.max_workers', value: String(params.to) }, expected_effect: 'e', risk: 'r', impact: 0.7 };
      }),
    );
    const recs = buildRecommendations(
      [
        finding({ category: 'cpu', severity: 'warning', strength: 0.4, fixes: [{ id: 'raise-max-workers', params: { to: 12 } }] }),
        finding({ category: 'scaling', severity: 'critical', strength: 0.9, fixes: [{ id: 'raise-max-workers', params: { to: 16 } }] }),
      ],
      fakeEvidence(),
      'scaling',
      defs,
    );
    expect(recs).toHaveLength(1);
    expect(recs[0]!.change?.value).toBe('16');
    expect(seen).toEqual([{ to: 16 }]);
  });

  it('drops fixes whose builder returns null or throws, and unknown ids', () => {
    const defs = catalog(
      standInFix('already-set', 'cpu', null),
      { ...standInFix('broken', 'cpu', {}), build: () => { throw new Error('bad'); } },
      standInFix('kept', 'cpu', {}),
    );
    const recs = buildRecommendations(
      [finding({ category: 'cpu', fixes: [{ id: 'already-set' }, { id: 'broken' }, { id: 'no-such-fix' }, { id: 'kept' }] })],
      fakeEvidence(),
      'cpu',
      defs,
    );
    expect(recs.map((r) => r.id)).toEqual(['kept']);
  });

  it('never proposes two values for the same setting', () => {
    const defs = catalog(
      standInFix('raise', 'scaling', { change: { target: 'cluster', key: 'autoscale.max_workers', value: '16' }, impact: 0.8 }),
      standInFix('reduce', 'scaling', { change: { target: 'cluster', key: 'autoscale.max_workers', value: '4' }, impact: 0.3 }),
    );
    const recs = buildRecommendations([finding({ category: 'scaling', fixes: [{ id: 'reduce' }, { id: 'raise' }] })], fakeEvidence(), 'scaling', defs);
    expect(recs.map((r) => r.id)).toEqual(['raise']);
  });

  it('orders by impact but puts the verdict category first', () => {
    const defs = catalog(
      standInFix('big-io', 'io', { impact: 0.9 }),
      standInFix('small-cpu', 'cpu', { impact: 0.2 }),
      standInFix('mid-io', 'io', { impact: 0.5 }),
    );
    const findings = [finding({ category: 'cpu', fixes: [{ id: 'small-cpu' }] }), finding({ category: 'io', fixes: [{ id: 'big-io' }, { id: 'mid-io' }] })];
    expect(buildRecommendations(findings, fakeEvidence(), 'cpu', defs).map((r) => r.id)).toEqual(['small-cpu', 'big-io', 'mid-io']);
    expect(buildRecommendations(findings, fakeEvidence(), 'none', defs).map((r) => r.id)).toEqual(['big-io', 'mid-io', 'small-cpu']);
  });

  it('a weaker finding lowers the impact of the fix it asks for', () => {
    const defs = catalog(standInFix('a', 'io', { impact: 0.6 }), standInFix('b', 'io', { impact: 0.6 }));
    const recs = buildRecommendations(
      [finding({ category: 'io', severity: 'info', strength: 0.2, fixes: [{ id: 'a' }] }), finding({ category: 'io', severity: 'critical', strength: 1, fixes: [{ id: 'b' }] })],
      fakeEvidence(),
      'io',
      defs,
    );
    expect(recs.map((r) => r.id)).toEqual(['b', 'a']);
    expect(recs[0]!.impact).toBeGreaterThan(recs[1]!.impact);
  });

  it('carries the catalog category, title and guide section', () => {
    const recs = buildRecommendations([finding({ category: 'cpu', fixes: [{ id: 'x' }] })], fakeEvidence(), 'cpu', catalog(standInFix('x', 'cpu', { title: 'Custom title' })));
    expect(recs[0]).toMatchObject({ id: 'x', category: 'cpu', title: 'Custom title', guide_section: '3.3' });
  });

  it('defaults to the merged catalog, sorted, with unique ids', () => {
    expect(FIXES.length).toBeGreaterThan(0);
    expect(FIXES_BY_ID.size).toBe(FIXES.length);
    expect(FIXES.map((f) => f.id)).toEqual([...FIXES.map((f) => f.id)].sort((a, b) => a.localeCompare(b)));
  });
});
