import { describe, expect, it } from 'vitest';
import { FIXES, FIXES_BY_ID } from '../../src/diagnosis/fixes/index.js';
import { buildRecommendations } from '../../src/diagnosis/recommendations.js';
import type { FixDefinition } from '../../src/diagnosis/types.js';
import { fakeCluster as fakeClusterSpec, fakeEvidence } from '../support/fake-evidence.js';
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

  it('executors killed with exit code 137: the memory overhead goes ahead of more workers of the same size', () => {
    const findings = (exit137: boolean) => [
      finding({ category: 'backlog', rule: 'growing-backlog', severity: 'critical', strength: 0.9, fixes: [{ id: 'raise-max-workers', params: { flow: 'bronze', optimal: 16 } }, { id: 'streaming-trigger', params: { flow: 'bronze', source: 'kafka' } }] }),
      finding({ category: 'memory', rule: 'oom-errors', severity: 'warning', strength: 0.6, fixes: [{ id: 'executor-memory-overhead', ...(exit137 ? { params: { exit137: true } } : {}) }, { id: 'memory-optimized-instances' }] }),
    ];
    const evidence = fakeEvidence({ spec: { continuous: true } });
    const ids = (exit137: boolean) => buildRecommendations(findings(exit137), evidence, 'backlog').map((r) => r.id);
    const killed = ids(true);
    expect(killed[0]).toBe('streaming-trigger');
    expect(killed).toContain('raise-max-workers');
    expect(killed.indexOf('executor-memory-overhead')).toBeLessThan(killed.indexOf('raise-max-workers'));
    // without the 137 the generic scale-up keeps its place
    const other = ids(false);
    expect(other.indexOf('executor-memory-overhead')).toBeGreaterThan(other.indexOf('raise-max-workers'));
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

describe('fixes that cannot help or do harm are never recommended', () => {
  const ids = (recs: { id: string }[]) => recs.map((r) => r.id);
  const classic = () => fakeEvidence({ spec: { photon: false, clusters: [fakeClusterSpec()] } });

  it('no compute or Spark change for a failure that is not performance; code fixes stay', () => {
    const recs = buildRecommendations(
      [
        finding({ category: 'none', rule: 'update-failed', severity: 'critical', strength: 1, rulesOut: ['compute'] }),
        finding({ category: 'cpu', severity: 'warning', strength: 0.8, fixes: [{ id: 'enable-photon' }, { id: 'compute-optimized-instances' }] }),
        finding({ category: 'network', severity: 'info', strength: 0.5, fixes: [{ id: 'salt-skewed-key', params: { flow: 'orders' } }, { id: 'broadcast-threshold' }] }),
      ],
      classic(),
      'none',
    );
    expect(ids(recs)).toEqual(['salt-skewed-key']);
  });

  it('no worker change when the driver is the problem', () => {
    const recs = buildRecommendations(
      [
        finding({ category: 'memory', rule: 'driver-failure', severity: 'critical', strength: 1, rulesOut: ['workers'], fixes: [{ id: 'avoid-collect' }, { id: 'larger-driver' }, { id: 'memory-optimized-instances' }] }),
        finding({ category: 'scaling', severity: 'info', strength: 0.5, fixes: [{ id: 'raise-max-workers' }] }),
      ],
      classic(),
      'memory',
    );
    expect(ids(recs)).toContain('avoid-collect');
    expect(ids(recs)).toContain('larger-driver');
    expect(ids(recs)).not.toContain('memory-optimized-instances');
    expect(ids(recs)).not.toContain('raise-max-workers');
  });

  it('worker changes stay when executors run out of memory too', () => {
    const recs = buildRecommendations(
      [
        finding({ category: 'memory', rule: 'driver-failure', severity: 'critical', strength: 1, rulesOut: ['workers'], fixes: [{ id: 'avoid-collect' }] }),
        finding({ category: 'memory', rule: 'oom-errors', severity: 'warning', strength: 0.8, fixes: [{ id: 'memory-optimized-instances' }] }),
      ],
      classic(),
      'memory',
    );
    expect(ids(recs)).toContain('memory-optimized-instances');
  });

  it('no compute-optimized nodes for a memory-bound update, no more workers on a skewed or idle cluster', () => {
    const recs = buildRecommendations(
      [
        finding({ category: 'memory', severity: 'critical', strength: 1, fixes: [{ id: 'memory-optimized-instances' }] }),
        finding({ category: 'cpu', severity: 'warning', strength: 0.7, fixes: [{ id: 'compute-optimized-instances' }, { id: 'enable-photon' }] }),
        finding({ category: 'network', rule: 'data-skew', severity: 'warning', strength: 0.6, rulesOut: ['more-workers'], fixes: [{ id: 'salt-skewed-key' }] }),
        finding({ category: 'scaling', severity: 'warning', strength: 0.6, fixes: [{ id: 'raise-max-workers' }] }),
      ],
      classic(),
      'memory',
    );
    expect(ids(recs)[0]).toBe('memory-optimized-instances');
    expect(ids(recs)).not.toContain('compute-optimized-instances');
    expect(ids(recs)).not.toContain('raise-max-workers');
    expect(ids(recs)).toContain('enable-photon');
  });

  it('returns no other category’s fixes when the verdict has none of its own', () => {
    const recs = buildRecommendations(
      [finding({ category: 'memory', rule: 'driver-failure', severity: 'critical', strength: 1, rulesOut: ['workers'], fixes: [] }), finding({ category: 'cpu', severity: 'info', strength: 0.5, fixes: [{ id: 'enable-photon' }] })],
      classic(),
      'memory',
    );
    expect(recs).toEqual([]);
  });
});
