import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterSpec, Evidence } from '../../../src/diagnosis/evidence.js';
import { FIXES } from '../../../src/diagnosis/fixes/capacity.js';
import { calculateClusterSize, rightSizingSavingsPercent } from '../../../src/diagnosis/sizing.js';
import type { FixDefinition } from '../../../src/diagnosis/types.js';
import { fakeCluster, fakeClusterSamples, fakeEvidence, fakeFlow, fakeNodeSamples } from '../../support/fake-evidence.js';

function fix(id: string): FixDefinition {
  const f = FIXES.find((x) => x.id === id);
  if (!f) throw new Error(`no fix ${id}`);
  return f;
}
const withCluster = (c: Partial<ClusterSpec>, o: Partial<Evidence> = {}) => fakeEvidence({ spec: { clusters: [fakeCluster(c)] }, ...o });
const serverless = fakeEvidence({ spec: { serverless: true, clusters: [] } });

describe('capacity fix catalog', () => {
  it('has unique ids, a non-none category, a title and a guide section for every fix', () => {
    expect(new Set(FIXES.map((f) => f.id)).size).toBe(FIXES.length);
    expect(FIXES.map((f) => f.id).sort()).toEqual(
      ['deterministic-mv', 'enable-cdf', 'enable-row-tracking', 'enhanced-autoscaling', 'raise-max-workers', 'reduce-max-workers', 'split-pipeline', 'trim-init-scripts', 'use-instance-pool', 'use-serverless'].sort(),
    );
    for (const f of FIXES) {
      expect(f.title).not.toBe('');
      expect(f.guideSection).toMatch(/^(\d+\.\d+(, \d+\.\d+)*|docs)$/);
    }
  });

  it('every proposal states a risk and an effect, with impact in 0..1', () => {
    const evidence = withCluster({ autoscale: { minWorkers: 2, maxWorkers: 8, mode: 'LEGACY' } }, { clusterResources: fakeClusterSamples({ optimalExecutors: 12 }), nodeMetrics: fakeNodeSamples({ cpu: 30 }) });
    for (const f of FIXES) {
      const p = f.build(evidence, { flows: 40, flow: 'main.sales.x' });
      expect(p, f.id).not.toBeNull();
      expect(p!.risk.length, f.id).toBeGreaterThan(20);
      expect(p!.expected_effect.length, f.id).toBeGreaterThan(20);
      expect(p!.impact).toBeGreaterThan(0);
      expect(p!.impact).toBeLessThanOrEqual(1);
    }
  });

  it('builds nothing that needs a cluster on serverless', () => {
    for (const id of ['raise-max-workers', 'reduce-max-workers', 'enhanced-autoscaling', 'use-instance-pool', 'use-serverless']) {
      expect(fix(id).build(serverless, { optimal: 20, cpuAvg: 20 }), id).toBeNull();
    }
  });
});

describe('raise-max-workers', () => {
  const raise = fix('raise-max-workers');

  it('raises max_workers to optimal_num_executors given by the rule', () => {
    const p = raise.build(fakeEvidence(), { optimal: 14 });
    expect(p!.change).toEqual({ target: 'cluster', key: 'autoscale.max_workers', value: '14' });
    expect(p!.expected_effect).toContain('75%'); // (14 − 8) / 8
    expect(p!.risk).toContain('1.8x');
  });

  it('reads the peak optimal_num_executors from the event log when the rule passed none', () => {
    const p = raise.build(fakeEvidence({ clusterResources: fakeClusterSamples({ optimalExecutors: 11 }) }), {});
    expect(p!.change!.value).toBe('11');
  });

  it('falls back to guide §3.2 from the data written when optimal is unknown or not above max', () => {
    const flows = [fakeFlow({ outputBytes: 900e9 }), fakeFlow({ name: 'b', outputBytes: 600e9 })];
    const evidence = fakeEvidence({ flows, clusterResources: fakeClusterSamples({ optimalExecutors: 8 }) });
    const expected = calculateClusterSize(1500).max_workers; // trunc(1500/75) = 20 → 40
    expect(expected).toBe(40);
    expect(raise.build(evidence, {})!.change!.value).toBe(String(expected));
    expect(raise.build(evidence, { complexity: 2 })!.change!.value).toBe(String(calculateClusterSize(1500, 2).max_workers));
    expect(raise.build(evidence, {})!.why).toContain('§3.2');
  });

  it('is null when §3.2 does not give more than the current ceiling', () => {
    // the healthy update wrote 3 GB: §3.2 says max 4 < 8
    expect(raise.build(fakeEvidence(), {})).toBeNull();
  });

  it('is null when max_workers is already at or above the value', () => {
    expect(raise.build(fakeEvidence(), { optimal: 8 })).toBeNull();
    expect(raise.build(withCluster({ autoscale: { minWorkers: 2, maxWorkers: 20, mode: 'ENHANCED' } }), { optimal: 14 })).toBeNull();
  });

  it('is null on a fixed-size cluster', () => {
    expect(raise.build(withCluster({ numWorkers: 4, autoscale: null }), { optimal: 14 })).toBeNull();
  });

  it('never proposes max below min or not above the current max', () => {
    // dataGb 0 switches off the §3.2 fallback (tested above), so only optimal_num_executors decides
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 200 }), (min, extra, optimal) => {
        const max = Math.max(1, min + extra);
        const p = raise.build(withCluster({ autoscale: { minWorkers: min, maxWorkers: max, mode: 'ENHANCED' } }), { optimal, dataGb: 0 });
        if (p === null) return optimal <= max;
        const value = Number(p.change!.value);
        return value > max && value >= min && value === optimal;
      }),
    );
  });
});

describe('reduce-max-workers', () => {
  const reduce = fix('reduce-max-workers');

  it('sizes to the used workers at ~70% CPU and quotes the §12.2 savings', () => {
    // peak 6 executors at 35% CPU → ceil(6 × 35 / 70) = 3
    const p = reduce.build(fakeEvidence(), { cpuAvg: 35, peakExecutors: 6 });
    expect(p!.change).toEqual({ target: 'cluster', key: 'autoscale.max_workers', value: '3' });
    expect(rightSizingSavingsPercent(35)).toBe(50);
    expect(p!.expected_effect).toContain('About 50% lower compute cost');
    expect(p!.expected_effect).toContain('$27'); // 50% of the fake $54 over 30 days
    expect(p!.risk).toContain('May increase runtime');
  });

  it('measures CPU and peak executors itself when the rule passed none', () => {
    const evidence = fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 28 }), clusterResources: fakeClusterSamples({ numExecutors: 5 }) });
    // ceil(5 × 28 / 70) = 2
    expect(reduce.build(evidence, {})!.change!.value).toBe('2');
    expect(reduce.build(evidence, {})!.expected_effect).toContain(`${rightSizingSavingsPercent(28)}%`);
  });

  it('never goes below min_workers', () => {
    const p = reduce.build(withCluster({ autoscale: { minWorkers: 4, maxWorkers: 8, mode: 'ENHANCED' } }), { cpuAvg: 10, peakExecutors: 8 });
    expect(p!.change!.value).toBe('4');
  });

  it('is null at ≥ 50% CPU (§12.2), without CPU data, or when nothing would shrink', () => {
    expect(reduce.build(fakeEvidence(), { cpuAvg: 55 })).toBeNull();
    expect(reduce.build(fakeEvidence({ nodeMetrics: null }), {})).toBeNull();
    expect(reduce.build(withCluster({ autoscale: { minWorkers: 8, maxWorkers: 8, mode: 'ENHANCED' } }), { cpuAvg: 20 })).toBeNull();
  });

  it('changes num_workers on a fixed-size cluster', () => {
    const p = reduce.build(withCluster({ numWorkers: 10, autoscale: null }, { clusterResources: fakeClusterSamples({ numExecutors: 10 }) }), { cpuAvg: 21 });
    expect(p!.change).toEqual({ target: 'cluster', key: 'num_workers', value: '3' });
  });

  it('always lands in [max(min_workers, 1), current max)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 49.9, noNaN: true }), fc.integer({ min: 0, max: 80 }), (min, extra, cpu, peak) => {
        const max = Math.max(1, min + extra);
        const p = reduce.build(withCluster({ autoscale: { minWorkers: min, maxWorkers: max, mode: 'ENHANCED' } }), { cpuAvg: cpu, peakExecutors: peak });
        if (p === null) return true;
        const value = Number(p.change!.value);
        return value >= Math.max(1, min) && value < max;
      }),
    );
  });
});

describe('enhanced-autoscaling', () => {
  const enhanced = fix('enhanced-autoscaling');
  const legacy = { autoscale: { minWorkers: 2, maxWorkers: 8, mode: 'LEGACY' as const } };

  it('switches a LEGACY update cluster to ENHANCED', () => {
    expect(enhanced.build(withCluster(legacy), { cluster: 'default' })!.change).toEqual({ target: 'cluster', key: 'autoscale.mode', value: 'ENHANCED' });
    expect(enhanced.build(withCluster(legacy), {})!.change!.value).toBe('ENHANCED');
  });

  it('is null when already ENHANCED, on a fixed-size cluster, or when the cluster is gone', () => {
    expect(enhanced.build(fakeEvidence(), {})).toBeNull();
    expect(enhanced.build(withCluster({ numWorkers: 4, autoscale: null }), {})).toBeNull();
    expect(enhanced.build(withCluster(legacy), { cluster: 'updates' })).toBeNull();
  });

  it('never targets a maintenance cluster', () => {
    const evidence = fakeEvidence({ spec: { clusters: [fakeCluster({ label: 'maintenance', ...legacy })] } });
    expect(enhanced.build(evidence, { cluster: 'maintenance' })).toBeNull();
    expect(enhanced.build(evidence, {})).toBeNull();
  });

  it('mentions the restart on a continuous pipeline', () => {
    const evidence = fakeEvidence({ spec: { continuous: true, clusters: [fakeCluster(legacy)] } });
    expect(enhanced.build(evidence, {})!.risk).toContain('restarts');
  });
});

describe('planning fixes', () => {
  it('split-pipeline: one pipeline per 30 flows, at least 2; null for a single flow', () => {
    const p = fix('split-pipeline').build(fakeEvidence(), { flows: 90 });
    expect(p!.change).toEqual({ target: 'code', key: 'pipeline', value: 'split into 3 pipelines of at most 30 flows, along independent branches of the lineage' });
    expect(p!.expected_effect).toContain('about 18 s each'); // 55 s / 3
    expect(fix('split-pipeline').build(fakeEvidence(), { flows: 12 })!.change!.value).toMatch(/^split into 2 pipelines of at most 6 flows/);
    expect(fix('split-pipeline').build(fakeEvidence(), { flows: 1 })).toBeNull();
  });

  it('enable-cdf and enable-row-tracking set the table property and name the table', () => {
    const cdf = fix('enable-cdf').build(fakeEvidence(), { table: 'main.sales.orders_silver', flow: 'main.sales.daily' });
    expect(cdf!.change).toEqual({ target: 'table_property', key: 'delta.enableChangeDataFeed', value: 'true' });
    expect(cdf!.title).toBe('Enable change data feed on main.sales.orders_silver');
    const rt = fix('enable-row-tracking').build(fakeEvidence(), { table: 'main.sales.orders_silver' });
    expect(rt!.change).toEqual({ target: 'table_property', key: 'delta.enableRowTracking', value: 'true' });
    expect(rt!.risk).toContain('protocol');
  });

  it('deterministic-mv gives advice for the sub type', () => {
    const p = fix('deterministic-mv').build(fakeEvidence(), { flow: 'main.sales.daily', subType: 'TIME_FUNCTION' });
    expect(p!.change!.target).toBe('code');
    expect(p!.change!.key).toBe('main.sales.daily');
    expect(p!.change!.value).toContain('current_date()');
  });
});

describe('startup fixes', () => {
  it('use-instance-pool: a placeholder pool id the user fills in; null when pooled', () => {
    const p = fix('use-instance-pool').build(fakeEvidence(), { waitS: 420 });
    expect(p!.change).toEqual({ target: 'cluster', key: 'instance_pool_id', value: '<instance-pool-id>' });
    expect(p!.expected_effect).toContain('placeholder');
    expect(p!.expected_effect).toContain('420 s');
    expect(fix('use-instance-pool').build(withCluster({ instancePoolId: 'pool-1' }), {})).toBeNull();
  });

  it('use-serverless: only for Unity Catalog pipelines not already serverless', () => {
    expect(fix('use-serverless').build(fakeEvidence(), {})!.change).toEqual({ target: 'pipeline', key: 'serverless', value: 'true' });
    expect(fix('use-serverless').build(fakeEvidence({ spec: { catalog: null } }), {})).toBeNull();
  });
});

describe('trim-init-scripts', () => {
  const trim = fix('trim-init-scripts');
  const SCRIPTS = ['/Volumes/main/ops/init/install-gdal.sh', '/Workspace/Shared/init/pip-extras.sh', 's3://acme-init/agent.sh'];

  it('names the init scripts (the first two) and the seconds they cost; no automatic change', () => {
    const p = trim.build(withCluster({ initScripts: SCRIPTS }), { scripts: 3, libraries: 0, initS: 1050 })!;
    expect(p.change).toBeNull();
    expect(p.why).toContain('3 init scripts (/Volumes/main/ops/init/install-gdal.sh, /Workspace/Shared/init/pip-extras.sh)');
    expect(p.why).not.toContain('agent.sh');
    expect(p.why).toContain('https://docs.databricks.com/aws/en/init-scripts/');
    expect(p.expected_effect).toContain('1050 s of initialization');
    expect(p.risk).toMatch(/development mode/);
    expect(p.impact).toBeGreaterThan(0);
    expect(p.impact).toBeLessThanOrEqual(1);
  });

  it('names cluster libraries, and both together', () => {
    const libs = fakeEvidence({ spec: { installedLibraries: ['dbfs:/libs/geo-1.2.jar', 'maven:com.acme:udfs:3.1'] } });
    expect(trim.build(libs, { scripts: 0, libraries: 2, initS: 530 })!.why).toContain('this cluster runs 2 cluster libraries');
    const both = fakeEvidence({ spec: { clusters: [fakeCluster({ initScripts: SCRIPTS.slice(0, 1) })], installedLibraries: ['dbfs:/libs/geo-1.2.jar'] } });
    expect(trim.build(both, {})!.why).toContain('1 init script (/Volumes/main/ops/init/install-gdal.sh) and 1 cluster library');
  });

  it('reads the spec when the rule passed no counts', () => {
    expect(trim.build(withCluster({ initScripts: SCRIPTS }), {})!.why).toContain('3 init scripts');
  });

  it('with nothing in the spec, points at installs in the pipeline source (%pip)', () => {
    const p = trim.build(fakeEvidence(), { scripts: 0, libraries: 0, initS: 520 })!;
    expect(p.title).toBe('Take package installs out of initialization');
    expect(p.why).toContain('8m 40s');
    expect(p.why).toContain('%pip install');
    expect(p.change).toBeNull();
  });

  it('is null on serverless (no cluster to start)', () => {
    expect(trim.build(serverless, { scripts: 2, libraries: 0, initS: 900 })).toBeNull();
  });
});
