import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/executor-cpu-bound.js';
import { fakeClusterSamples, fakeEvidence, fakeFlow, fakeNodeSamples } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { flowAt, noisy } from './helpers.js';

const H = 3600_000;
const MAIN = 'main.sales.orders_silver';
/** the default flow (12 of the 13 running minutes, alone: ~92% of the run, on the critical path) with a CPU ratio */
const main = (ratio: number, executorH = 4) => fakeFlow({ executorTimeMs: executorH * H, executorCpuTimeMs: ratio * executorH * H });
/** a side flow running 2.6 minutes beside the main one: half of its time is its own, ~10% of the run */
const side = (ratio: number) => flowAt('main.sales.fx_rates', 0, 2.6, { executorTimeMs: H, executorCpuTimeMs: ratio * H });
const busy = fakeNodeSamples({ cpu: 92 });
const saturatedSlots = fakeClusterSamples({ slotUtilization: 0.96, queuedTasks: 180 });
const serverless = { serverless: true, clusters: [] };

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (CPU/executor time 0.6)', evidence: fakeEvidence() },
  { name: 'no flow metrics', evidence: fakeEvidence({ flows: [] }) },
  { name: 'CPU-bound but only 5 executor-minutes', evidence: fakeEvidence({ flows: [fakeFlow({ executorTimeMs: 5 * 60_000, executorCpuTimeMs: 4.9 * 60_000 })] }) },
  { name: 'ratio just under 0.8', evidence: fakeEvidence({ flows: [fakeFlow({ executorTimeMs: 4 * H, executorCpuTimeMs: 3.15 * H })] }) },
  { name: 'zero executor time', evidence: fakeEvidence({ flows: [fakeFlow({ executorTimeMs: 0, executorCpuTimeMs: 0 })] }) },
];

/** A ratio near 0.8 is what ordinary ETL reports: without saturation or on a small flow, it is a note. */
const SMALL = 'too small a part of the run to decide it';
const CALM = 'cluster not saturated';
const BLIND = 'no cluster metrics to show saturation';
const info: { name: string; evidence: Evidence; flow: string; share: number; fixes: string[]; why: string }[] = [
  { name: 'ratio 0.9 on the main flow, cluster in the healthy band (72% CPU, slots 0.75)', evidence: fakeEvidence({ flows: [main(0.9)] }), flow: MAIN, share: 92, fixes: [], why: CALM },
  { name: 'ratio 0.85 on a flow that is 10% of the run, workers at 92%', evidence: fakeEvidence({ flows: [main(0.6), side(0.85)], nodeMetrics: busy }), flow: 'main.sales.fx_rates', share: 10, fixes: [], why: SMALL },
  { name: 'ratio 0.95 on a flow that is 10% of the run, slots saturated', evidence: fakeEvidence({ flows: [main(0.6), side(0.95)], clusterResources: saturatedSlots }), flow: 'main.sales.fx_rates', share: 10, fixes: [], why: SMALL },
  { name: 'ratio 0.85 with no node metrics or cluster_resources (under 0.9)', evidence: fakeEvidence({ spec: serverless, nodeMetrics: null, clusterResources: [], flows: [main(0.85)] }), flow: MAIN, share: 92, fixes: [], why: BLIND },
  { name: 'Photon off, not saturated: Photon is the only fix', evidence: fakeEvidence({ spec: { photon: false }, flows: [main(0.88)] }), flow: MAIN, share: 92, fixes: ['enable-photon'], why: CALM },
  // node CPU is the direct measure: busy slots on CPUs inside the 70–85% band are a healthy, busy cluster
  { name: 'ratio 0.9, every slot busy with tasks queued, but workers at 72% CPU', evidence: fakeEvidence({ flows: [main(0.9)], clusterResources: saturatedSlots }), flow: MAIN, share: 92, fixes: [], why: CALM },
  { name: 'ratio 0.85, workers at 82% (inside the band)', evidence: fakeEvidence({ flows: [main(0.85)], nodeMetrics: fakeNodeSamples({ cpu: 82 }) }), flow: MAIN, share: 92, fixes: [], why: CALM },
  { name: 'workers fluctuating 68–84% (76 ± 8): busy in too few minutes', evidence: fakeEvidence({ flows: [main(0.88)], nodeMetrics: fakeNodeSamples({ cpu: noisy(76, 8, 31) }) }), flow: MAIN, share: 92, fixes: [], why: CALM },
];

const warning: { name: string; evidence: Evidence; metric: string; value: number; fixes: string[]; flow: string }[] = [
  {
    name: 'ratio 0.85 on the critical flow with workers at 92%',
    evidence: fakeEvidence({ flows: [main(0.85)], nodeMetrics: busy }),
    metric: `${MAIN} executor CPU time / executor time`,
    value: 0.85,
    fixes: ['compute-optimized-instances'],
    flow: MAIN,
  },
  {
    name: 'ratio 0.9 with every task slot busy and tasks queued (no node metrics)',
    evidence: fakeEvidence({ flows: [main(0.9)], nodeMetrics: null, clusterResources: saturatedSlots }),
    metric: 'samples with all task slots busy and tasks queued',
    value: 100,
    fixes: ['compute-optimized-instances'],
    flow: MAIN,
  },
  {
    name: 'CPU-bound without Photon',
    evidence: fakeEvidence({ spec: { photon: false }, flows: [main(0.95, 2)], nodeMetrics: busy }),
    metric: `${MAIN} executor time`,
    value: 120,
    fixes: ['enable-photon', 'compute-optimized-instances'],
    flow: MAIN,
  },
  {
    name: 'two CPU-heavy flows: the one deciding more of the run is named',
    evidence: fakeEvidence({ flows: [main(0.82), side(0.97)], nodeMetrics: busy }),
    metric: `${MAIN} share of the running phase`,
    value: 92,
    fixes: ['compute-optimized-instances'],
    flow: MAIN,
  },
  {
    name: 'serverless, no node metrics or cluster_resources: the ratio alone at 0.9',
    evidence: fakeEvidence({ spec: serverless, nodeMetrics: null, clusterResources: [], flows: [main(0.9)] }),
    metric: `${MAIN} executor CPU time / executor time`,
    value: 0.9,
    fixes: ['compute-optimized-instances'],
    flow: MAIN,
  },
];

describe('executor-cpu-bound', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each(info)('info, not a warning: $name', (c) => {
    const results = rule.run(c.evidence);
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('cpuHeavy');
    expect(r.severity).toBe('info');
    expect(r.data).toMatchObject({ flow: c.flow, share: c.share, why: c.why });
    for (const [, name] of rule.meta.messages.cpuHeavy.matchAll(/{{(\w+)}}/g)) expect(r.data).toHaveProperty(name!);
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: `${c.flow} share of the running phase`, value: c.share, threshold: 30 }));
    expect(r.fixes.map((f) => f.id)).toEqual(c.fixes);
    expect(r.strength).toBeGreaterThan(0);
    expect(r.strength).toBeLessThanOrEqual(1);
  });

  it.each(warning)('warning: $name', (c) => {
    const r = expectOneResult(rule, c.evidence);
    expect(r.messageId).toBe('cpuBound');
    expect(r.severity).toBe('warning');
    expect(r.data?.flow).toBe(c.flow);
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: c.metric, value: c.value }));
    expect(r.fixes.map((f) => f.id)).toEqual(c.fixes);
  });

  it('a small flow is weaker than the same ratio on the critical flow', () => {
    const small = rule.run(fakeEvidence({ flows: [main(0.6), side(0.85)], nodeMetrics: busy }))[0]!;
    const big = rule.run(fakeEvidence({ flows: [main(0.85)], nodeMetrics: busy }))[0]!;
    expect(small.strength).toBeLessThan(0.5);
    expect(big.strength).toBeGreaterThan(small.strength);
  });

  it('reads the corroborating signals into its evidence', () => {
    const [r] = rule.run(fakeEvidence({ flows: [main(0.85)], nodeMetrics: busy }));
    expect(r!.evidence).toContainEqual({ metric: 'minutes with workers at or above 85% CPU', value: 100, unit: '%', threshold: 50, source: 'system.compute.node_timeline' });
    expect(r!.evidence).toContainEqual({ metric: 'samples with all task slots busy and tasks queued', value: 0, unit: '%', threshold: 50, source: 'event_log:cluster_resources' });
  });

  it('does not ask for Photon when the CPU-bound flow runs a Python UDF (Photon cannot run it)', () => {
    const flow = fakeFlow({ executorTimeMs: 2 * H, executorCpuTimeMs: 1.9 * H, explainText: '+- BatchEvalPython [f(x#1)#2], [pythonUDF0#3]' });
    expect(rule.run(fakeEvidence({ spec: { photon: false }, flows: [flow], nodeMetrics: busy }))[0]!.fixes).toEqual([{ id: 'compute-optimized-instances' }]);
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence({ flows: [main(0.6), side(0.85)], nodeMetrics: busy }), { minFlowShare: 0.05 })[0]!.severity).toBe('warning');
  });
});
