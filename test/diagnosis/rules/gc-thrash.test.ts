import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/gc-thrash.js';
import { fakeEvidence, fakeFlow, fakeNodeSamples, type PerWorkerMinute } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { flowAt, noisy, runOf } from './helpers.js';

const H = 3600_000;
/** the default flow (~92% of the run) with executor CPU time / executor time = `ratio` */
const main = (ratio: number, executorH = 4) => fakeFlow({ executorTimeMs: executorH * H, executorCpuTimeMs: ratio * executorH * H });
const nodes = (mem: PerWorkerMinute, cpu: PerWorkerMinute) => fakeNodeSamples({ mem, cpu });
/** A 40-minute RUNNING phase (warm-up: 4 min, 36 steady minutes) whose one flow runs all of it. */
const run40 = (ratio: number, o: NonNullable<Parameters<typeof fakeNodeSamples>[0]>) =>
  fakeEvidence({
    update: runOf(40),
    flows: [flowAt('main.sales.orders_silver', 0, 39, { executorTimeMs: 10 * H, executorCpuTimeMs: ratio * 10 * H })],
    nodeMetrics: fakeNodeSamples({ minutes: 40, ...o }),
  });

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (ratio 0.6, 62% memory, 72% CPU)', evidence: fakeEvidence() },
  { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null, flows: [main(0.3)] }) },
  { name: 'no flows', evidence: fakeEvidence({ flows: [], nodeMetrics: nodes(95, 25) }) },
  // the same low ratio and full memory, but the CPUs are computing: not garbage collection
  { name: 'ratio 0.3, memory 95%, CPU 70%', evidence: fakeEvidence({ flows: [main(0.3)], nodeMetrics: nodes(95, 70) }) },
  // idle CPUs with free memory: waiting on I/O or the network, not GC
  { name: 'ratio 0.3, CPU 25%, memory 70%', evidence: fakeEvidence({ flows: [main(0.3)], nodeMetrics: nodes(70, 25) }) },
  { name: 'ratio 0.6 (ordinary ETL waits on I/O that much)', evidence: fakeEvidence({ flows: [main(0.6)], nodeMetrics: nodes(95, 25) }) },
  { name: 'flows under 10 executor-minutes', evidence: fakeEvidence({ flows: [main(0.2, 0.1)], nodeMetrics: nodes(95, 25) }) },
  {
    name: 'the thrashing flow is 10% of the run',
    evidence: fakeEvidence({
      flows: [main(0.7), flowAt('main.sales.fx_rates', 0, 2.6, { executorTimeMs: H, executorCpuTimeMs: 0.2 * H })],
      nodeMetrics: nodes(95, 25),
    }),
  },
  // noisy near-miss: memory over 88% in only about a third of the minutes
  { name: 'memory 80–92% (86 ± 6), ratio 0.3, CPU 25%', evidence: run40(0.3, { mem: noisy(86, 6, 41), cpu: 25 }) },
  { name: 'memory full only during warm-up', evidence: run40(0.3, { mem: (_w, m) => (m < 4 ? 97 : 70), cpu: 25 }) },
];

const invalid: { name: string; evidence: Evidence; severity: string; data: Record<string, number> }[] = [
  { name: 'ratio 0.3, memory 95%, CPU 25%', evidence: fakeEvidence({ flows: [main(0.3)], nodeMetrics: nodes(95, 25) }), severity: 'critical', data: { share: 92, ratio: 30, mem: 95, cpu: 25 } },
  { name: 'ratio 0.2, memory 97% all along: critical', evidence: fakeEvidence({ flows: [main(0.2)], nodeMetrics: nodes(97, 30) }), severity: 'critical', data: { share: 92, ratio: 20, mem: 97, cpu: 30 } },
  { name: 'noisy: memory 88–99%, CPU 28% ± 12, ratio 0.35', evidence: run40(0.35, { mem: noisy(94, 5, 43), cpu: noisy(28, 12, 44) }), severity: 'warning', data: { share: 98, ratio: 35, mem: 94, cpu: 26 } },
];

describe('gc-thrash', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each(invalid)('invalid: $name', (c) => {
    const r = expectOneResult(rule, c.evidence);
    expect(r.messageId).toBe('thrash');
    expect(r.severity).toBe(c.severity);
    expect(r.data).toEqual(c.data);
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'executor CPU time / executor time (flows that matter)', value: c.data.ratio! / 100, threshold: 0.5, source: 'event_log:flow_progress' }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'minutes with workers at or above 88% memory', threshold: 50 }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers median CPU', threshold: 60 }));
    // more memory per core, never compute-optimized nodes; more workers of the same size do not help
    expect(r.fixes).toEqual([{ id: 'memory-optimized-instances' }, { id: 'offheap-memory' }]);
    expect(r.rulesOut).toEqual(['more-workers']);
  });

  it('adds up the shares of several big flows', () => {
    const flows = [
      flowAt('a', 0, 6, { executorTimeMs: 2 * H, executorCpuTimeMs: 0.6 * H }),
      flowAt('b', 6, 12, { executorTimeMs: 2 * H, executorCpuTimeMs: 0.6 * H }),
    ];
    const [r] = rule.run(fakeEvidence({ flows, nodeMetrics: nodes(95, 25) }));
    expect(r!.data).toMatchObject({ ratio: 30 });
    expect(r!.data!.share).toBeGreaterThanOrEqual(90);
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence({ flows: [main(0.3)], nodeMetrics: nodes(95, 70) }), { maxCpu: 80 })).toHaveLength(1);
  });
});
