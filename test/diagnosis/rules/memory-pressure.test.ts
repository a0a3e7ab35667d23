import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/memory-pressure.js';
import { fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { jitter, noisy, runOf } from './helpers.js';

type Nodes = NonNullable<Parameters<typeof fakeNodeSamples>[0]>;
/** A 40-minute RUNNING phase (warm-up: 4 min, 36 steady minutes) with node rows for all of it. */
const run40 = (o: Nodes) => fakeEvidence({ update: runOf(40), nodeMetrics: fakeNodeSamples({ minutes: 40, ...o }) });

/** memory fluctuating between 88 and 97% */
const mem88to97 = noisy(92.5, 4.5, 3);
/** swap 2–6% in 8 of every 10 minutes, none in the others */
const swapMostly = (w: number, m: number) => (m % 10 < 8 ? 4 + 2 * jitter(w, m, 5) : 0);

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (62% memory, no swap)', evidence: fakeEvidence() },
  { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null }) },
  // Spark keeps its heap and Linux its page cache: memory near full without swapping is not pressure by itself
  { name: 'nearly full memory (93%), no swap', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ mem: 93, swap: 0 }) }) },
  { name: 'swapping at 80% memory', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ mem: 80, swap: 10 }) }) },
  // noisy near-misses
  { name: 'memory 88–97% with a brief 3-minute swap', evidence: run40({ mem: mem88to97, swap: (_w, m) => (m >= 20 && m < 23 ? 6 : 0) }) },
  { name: 'swap only during warm-up (caches filling), then 70% memory', evidence: run40({ mem: (_w, m) => (m < 4 ? 96 : 70), swap: (_w, m) => (m < 4 ? 8 : 0) }) },
  { name: 'memory 88–97% with swap in a third of the minutes', evidence: run40({ mem: mem88to97, swap: (_w, m) => (m % 3 === 0 ? 4 : 0) }) },
  { name: 'one worker swapping at 70% memory for the whole run', evidence: run40({ mem: 70, swap: (w) => (w === 0 ? 5 : 0) }) },
];

const invalid: { name: string; evidence: Evidence; severity: string; mem: number; swap: number; share: number }[] = [
  { name: 'memory 88–97% with swap 2–6% for most of the run', evidence: run40({ mem: mem88to97, swap: swapMostly }), severity: 'warning', mem: 92, swap: 6, share: 78 },
  { name: '93% memory, 8% swap all along', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ mem: 93, swap: 8 }) }), severity: 'critical', mem: 93, swap: 8, share: 100 },
  { name: '99% memory, 30% swap all along', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ mem: 99, swap: 30 }) }), severity: 'critical', mem: 99, swap: 30, share: 100 },
  { name: '90% memory, a 2% swap for half the run', evidence: run40({ mem: 90, swap: (_w, m) => (m % 2 === 0 ? 2 : 0) }), severity: 'warning', mem: 90, swap: 2, share: 50 },
  // without any swap, memory this full is how a busy Spark worker looks (heaps stay allocated): a note only
  { name: 'memory at 97% for the whole run, no swap', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ mem: 97, swap: 0 }) }), severity: 'info', mem: 97, swap: 0, share: 100 },
];

describe('memory-pressure', () => {
  it('a single-node pipeline (driver rows only) is read as its own worker', () => {
    const [r] = rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ workers: 0, driverMem: 99, swap: 20 }) }));
    expect(r?.messageId).toBe('pressure');
    expect(r?.data?.mem).toBe(99);
  });

  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each(invalid)('invalid: $name', (c) => {
    const r = expectOneResult(rule, c.evidence);
    expect(r.messageId).toBe('pressure');
    expect(r.severity ?? rule.meta.severity).toBe(c.severity);
    expect(r.data).toEqual({ mem: c.mem, swap: c.swap, share: c.share });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers median mem_used (after warm-up)', threshold: 85, source: 'system.compute.node_timeline' }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'minutes under memory pressure', value: c.share, threshold: 40 }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers max mem_swap', threshold: 1 }));
    expect(r.fixes).toEqual([{ id: 'memory-optimized-instances' }, { id: 'offheap-memory' }]);
  });

  it('is stronger the fuller and the longer', () => {
    const half = rule.run(run40({ mem: 90, swap: (_w, m) => (m % 2 === 0 ? 2 : 0) }))[0]!.strength;
    const all = rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ mem: 99, swap: 30 }) }))[0]!.strength;
    expect(all).toBeGreaterThan(half);
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ mem: 80, swap: 10 }) }), { minMem: 75 })).toHaveLength(1);
  });
});
