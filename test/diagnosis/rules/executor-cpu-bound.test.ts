import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/executor-cpu-bound.js';
import { fakeEvidence, fakeFlow } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';

const H = 3600_000;

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (CPU/executor time 0.6)', evidence: fakeEvidence() },
  { name: 'no flow metrics', evidence: fakeEvidence({ flows: [] }) },
  { name: 'CPU-bound but only 5 executor-minutes', evidence: fakeEvidence({ flows: [fakeFlow({ executorTimeMs: 5 * 60_000, executorCpuTimeMs: 4.9 * 60_000 })] }) },
  { name: 'ratio just under 0.8', evidence: fakeEvidence({ flows: [fakeFlow({ executorTimeMs: 4 * H, executorCpuTimeMs: 3.15 * H })] }) },
  { name: 'zero executor time', evidence: fakeEvidence({ flows: [fakeFlow({ executorTimeMs: 0, executorCpuTimeMs: 0 })] }) },
];

const invalid: { name: string; evidence: Evidence; messageId: string; metric: string; value: number; fixes: string[]; flow: string }[] = [
  {
    name: 'one CPU-bound flow with Photon on',
    evidence: fakeEvidence({ flows: [fakeFlow({ executorTimeMs: 4 * H, executorCpuTimeMs: 3.6 * H })] }),
    messageId: 'cpuBound',
    metric: 'main.sales.orders_silver executor CPU time / executor time',
    value: 0.9,
    fixes: ['compute-optimized-instances'],
    flow: 'main.sales.orders_silver',
  },
  {
    name: 'CPU-bound without Photon',
    evidence: fakeEvidence({ spec: { photon: false }, flows: [fakeFlow({ executorTimeMs: 2 * H, executorCpuTimeMs: 1.9 * H })] }),
    messageId: 'cpuBound',
    metric: 'main.sales.orders_silver executor time',
    value: 120,
    fixes: ['enable-photon', 'compute-optimized-instances'],
    flow: 'main.sales.orders_silver',
  },
  {
    name: 'two CPU-bound flows: the one with most executor time is named',
    evidence: fakeEvidence({
      flows: [
        fakeFlow({ name: 'small', executorTimeMs: 0.5 * H, executorCpuTimeMs: 0.45 * H }),
        fakeFlow({ name: 'big', executorTimeMs: 3 * H, executorCpuTimeMs: 2.7 * H }),
        fakeFlow({ name: 'io', executorTimeMs: 5 * H, executorCpuTimeMs: 1 * H }),
      ],
    }),
    messageId: 'cpuBoundMany',
    metric: 'CPU-bound flows',
    value: 2,
    fixes: ['compute-optimized-instances'],
    flow: 'big',
  },
];

describe('executor-cpu-bound', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each(invalid)('invalid: $name', (c) => {
    const r = expectOneResult(rule, c.evidence);
    expect(r.messageId).toBe(c.messageId);
    expect(r.severity ?? rule.meta.severity).toBe('warning');
    expect(r.data?.flow).toBe(c.flow);
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: c.metric, value: c.value }));
    expect(r.fixes.map((f) => f.id)).toEqual(c.fixes);
  });

  it('does not ask for Photon when the CPU-bound flow runs a Python UDF (Photon cannot run it)', () => {
    const flow = fakeFlow({ executorTimeMs: 2 * H, executorCpuTimeMs: 1.9 * H, explainText: '+- BatchEvalPython [f(x#1)#2], [pythonUDF0#3]' });
    expect(rule.run(fakeEvidence({ spec: { photon: false }, flows: [flow] }))[0]!.fixes).toEqual([{ id: 'compute-optimized-instances' }]);
  });

  it('needs no node metrics', () => {
    const evidence = fakeEvidence({ nodeMetrics: null, spec: { serverless: true, clusters: [] }, flows: [fakeFlow({ executorTimeMs: H, executorCpuTimeMs: 0.95 * H })] });
    expect(rule.run(evidence)).toHaveLength(1);
  });
});
