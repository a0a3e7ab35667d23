/** sizeAdvice: the §3.2 formula joined with the measured load (src/diagnosis/size-advice.ts). */
import { describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import type { Reply } from '../../commands/types.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { SIZE_LIMITS, sizeAdvice, sizeFlags } from '../../src/diagnosis/size-advice.js';
import { calculateClusterSize, rightSizingSavingsPercent } from '../../src/diagnosis/sizing.js';
import { replyToText } from '../../templates/text.js';
import { fakeCluster, fakeClusterSamples, fakeError, fakeEvidence, fakeNodeSamples } from '../support/fake-evidence.js';
import { idleEvidence, saturatedEvidence, serverlessEvidence, sizeReplyFor } from '../support/fake-size.js';
import { ctxWith, FakeSource } from './fake-source.js';

const advise = (e: ReturnType<typeof fakeEvidence>, gb = 5) => sizeAdvice(e, diagnose(e), calculateClusterSize(gb), gb);

describe('saturated cluster: never fewer workers than it ran', () => {
  it('4 workers at 93% CPU with tasks queued → not fewer than 4 (workers × CPU / 70%), departing from the formula', () => {
    const a = advise(saturatedEvidence());
    expect(a.verdict.bottleneck).toBe('cpu');
    expect(a.measured?.workers).toBe(4);
    expect(a.workers).toMatchObject({ key: 'num_workers', basis: 'saturated', departsFromFormula: true });
    // ceil(4 × 93 / 70) = 6; the formula for 5 GB says 2
    expect(a.workers!.recommended).toBe(6);
    expect(a.workers!.recommended).toBeGreaterThanOrEqual(4);
    expect(a.workers!.reason).toMatch(/saturated, so no fewer than 4/);
    expect(a.workers!.reason).toMatch(/formula's 2 .* only a floor/);
    // CPU-bound → compute-optimized, from the diagnosis' own fix
    expect(a.node).toMatchObject({ nodeType: 'c5.4xlarge', family: 'compute-optimized', change: true });
    expect(a.savings).toBeNull();
  });
  it('the formula is a floor: a larger formula count wins over the measured one', () => {
    const a = advise(saturatedEvidence(), 750); // int(750 / 75) = 10
    expect(a.workers!.recommended).toBe(10);
  });
  it("Databricks' optimal_num_executors above max_workers sets the count (as raise-max-workers does)", () => {
    const e = fakeEvidence({
      nodeMetrics: fakeNodeSamples({ workers: 8, cpu: 80 }),
      clusterResources: fakeClusterSamples({ numExecutors: 8, slotUtilization: 1, queuedTasks: 50, optimalExecutors: 16 }),
    });
    const a = advise(e);
    expect(a.workers).toMatchObject({ key: 'autoscale', basis: 'optimal_num_executors', recommended: 16, min: 2, max: 16 });
    const why = diagnose(e).recommendations.find((r) => r.id === 'raise-max-workers');
    expect(why?.change?.value).toBe('16');
  });
  it('slots full with tasks queued but CPU in band: no fewer than ran, and no higher ceiling when max was never reached', () => {
    const e = fakeEvidence({
      spec: { clusters: [fakeCluster({ autoscale: { minWorkers: 2, maxWorkers: 16, mode: 'ENHANCED' } })] },
      nodeMetrics: fakeNodeSamples({ workers: 12, cpu: 78 }),
      clusterResources: fakeClusterSamples({ numExecutors: 12, slotUtilization: 1, queuedTasks: 30, optimalExecutors: null }),
    });
    const a = advise(e);
    expect(a.workers).toMatchObject({ basis: 'current', recommended: 12, min: 2, max: 16 });
    expect(a.workers!.reason).toMatch(/never used its max_workers 16/);
  });
});

describe('idle cluster: right-size only when nothing else explains the idle CPU (§12.2)', () => {
  it('16 workers at 20% CPU → fewer, with the §12.2 savings', () => {
    const e = idleEvidence();
    const a = advise(e, 0.83);
    expect(a.workers).toMatchObject({ key: 'num_workers', basis: 'right-size' });
    // ceil(16 × 20 / 70) = 5
    expect(a.workers!.recommended).toBe(5);
    expect(a.workers!.recommended).toBeLessThan(16);
    expect(a.savings?.percent).toBe(rightSizingSavingsPercent(20));
    expect(a.savings?.percent).toBe(71);
    // the same dollars the right-size fix quotes: 30 days' $54 × 71%
    expect(a.savings?.dollars).toBeCloseTo(54 * 0.71, 2);
    expect(a.savings?.periodDays).toBe(30);
    const fix = diagnose(e).recommendations.find((r) => r.id === 'reduce-max-workers');
    expect(fix?.change?.value).toBe(String(a.workers!.recommended));
  });
  it('idle but waiting on I/O → no cut', () => {
    const a = advise(idleEvidence({ wait: 30 }), 0.83);
    expect(a.workers).toMatchObject({ basis: 'current', recommended: 16 });
    expect(a.workers!.reason).toMatch(/waited on I\/O \(cpu_wait 30%\)/);
    expect(a.savings).toBeNull();
  });
  it('idle but shuffling over the network → no cut', () => {
    const e = fakeEvidence({
      spec: { clusters: [fakeCluster({ numWorkers: 16, autoscale: null })] },
      nodeMetrics: fakeNodeSamples({ workers: 16, cpu: 20, netBytesPerMin: 3 * 1024 ** 3 }),
      clusterResources: fakeClusterSamples({ numExecutors: 16, slotUtilization: 0.2, queuedTasks: 0, optimalExecutors: null }),
    });
    const a = advise(e);
    expect(a.workers).toMatchObject({ basis: 'current', recommended: 16 });
    expect(a.workers!.reason).toMatch(/shuffled/);
  });
  it('in the 70–85% band → keep the current size, and say the formula is only a volume estimate', () => {
    const e = fakeEvidence({ spec: { clusters: [fakeCluster({ numWorkers: 6, autoscale: null })] }, nodeMetrics: fakeNodeSamples({ workers: 6, cpu: 75 }), clusterResources: fakeClusterSamples({ numExecutors: 6, slotUtilization: 0.7, queuedTasks: 0 }) });
    const a = advise(e);
    expect(a.workers).toMatchObject({ basis: 'current', recommended: 6, departsFromFormula: true });
    expect(a.workers!.reason).toMatch(/inside the 70–85% band/);
  });
});

describe('memory and the driver', () => {
  it('memory-bound workers → memory-optimized nodes, never general-purpose or compute-optimized', () => {
    const e = fakeEvidence({
      nodeMetrics: fakeNodeSamples({ workers: 5, cpu: 65, mem: 96, swap: 4 }),
      clusterResources: fakeClusterSamples({ numExecutors: 5, slotUtilization: 0.7, queuedTasks: 0 }),
      errors: [
        fakeError({ message: 'ExecutorLostFailure (executor 3 exited caused by one of the running tasks) Reason: Command exited with code 137', exceptions: [] }),
        fakeError({ message: 'ExecutorLostFailure (executor 4 exited caused by one of the running tasks) Reason: Command exited with code 137', exceptions: [] }),
      ],
    });
    const a = advise(e, 50);
    expect(a.verdict.bottleneck).toBe('memory');
    expect(a.node).toMatchObject({ family: 'memory-optimized', nodeType: 'r5.4xlarge', change: true });
    expect(a.workers!.basis).toBe('current');
  });
  it('memory-bound on a node already memory-optimized → keep it', () => {
    const e = fakeEvidence({
      spec: { clusters: [fakeCluster({ nodeTypeId: 'r5.8xlarge' })] },
      nodeMetrics: fakeNodeSamples({ workers: 5, cpu: 65, mem: 96, swap: 4 }),
      clusterResources: fakeClusterSamples({ numExecutors: 5, slotUtilization: 0.7, queuedTasks: 0 }),
      errors: [fakeError({ message: 'Command exited with code 137 (executor 2)', exceptions: [] }), fakeError({ message: 'Command exited with code 137 (executor 3)', exceptions: [] })],
    });
    const a = advise(e, 50);
    expect(a.verdict.bottleneck).toBe('memory');
    expect(a.node?.family).toBe('memory-optimized');
    expect(['general-purpose', 'compute-optimized']).not.toContain(a.node?.family);
  });
  it('a driver problem names the driver and keeps the worker count', () => {
    const e = fakeEvidence({
      update: { ...fakeEvidence().update, state: 'FAILED' },
      nodeMetrics: fakeNodeSamples({ workers: 4, cpu: 12, driverMem: 97 }),
      clusterResources: fakeClusterSamples({ numExecutors: 4, slotUtilization: 0.1, queuedTasks: 0 }),
      errors: [fakeError({ message: 'Total size of serialized results of 412 tasks (4.1 GiB) is bigger than spark.driver.maxResultSize (4.0 GiB)', exceptions: [], fatal: true })],
    });
    const a = advise(e);
    expect(a.verdict.bottleneck).toBe('memory');
    expect(a.driver?.reason).toMatch(/driver/i);
    expect(a.workers).toMatchObject({ basis: 'current' });
    expect(a.workers!.reason).toMatch(/driver is the bottleneck/);
    expect(a.savings).toBeNull();
  });
});

describe('serverless: no worker sizing at all', () => {
  it('no worker counts, no node type, and why', () => {
    const a = advise(serverlessEvidence());
    expect(a.compute).toBe('serverless');
    expect(a.workers).toBeNull();
    expect(a.node).toBeNull();
    expect(a.serverless?.reason).toMatch(/Databricks manages the compute/);
    expect(a.serverless?.options.join(' ')).toMatch(/performance-optimized .* standard/);
  });
  it('the text shows no worker counts and no formula sizing', () => {
    const text = replyToText(sizeReplyFor(serverlessEvidence(), 1.48));
    expect(text).toMatch(/serverless — no worker sizing/);
    expect(text).not.toMatch(/workers?\s+\d|\d+\s+workers|min \d|max \d|recommended workers/i);
    expect(text).not.toMatch(/memory per worker|instance/);
  });
});

describe('limits: flagged, never thousands of workers unflagged', () => {
  it('--gb 100000 keeps the formula number but flags it', () => {
    const formula = calculateClusterSize(100_000);
    expect(formula.recommended_workers).toBe(1333);
    const flags = sizeFlags(formula, null, null);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ subject: 'formula', kind: 'large-cluster', workers: 1333, limit: SIZE_LIMITS.largeClusterWorkers });
    expect(flags[0]!.message).toMatch(/check your cluster policy/);
  });
  it('the command: size --gb 100000 and size --gb 100000 --complexity 6 are flagged, in the reply and in the text', async () => {
    const source = new FakeSource([fakeEvidence()]);
    for (const text of ['size --gb 100000', 'size --gb 100000 --complexity 6']) {
      const r = (await runCommandText(text, ctxWith(source))) as Extract<Reply, { kind: 'size' }>;
      expect(r.kind).toBe('size');
      expect(r.advice).toBeNull();
      expect(r.flags?.length).toBeGreaterThan(0);
      expect(replyToText(r)).toMatch(/flagged: see below[\s\S]*! The formula asks for [\d,]+ workers/);
    }
  });
  it('a small formula count is not flagged', () => {
    expect(sizeFlags(calculateClusterSize(500, 1.5), null, null)).toEqual([]);
  });
  it('an advice is capped at 10× the current max_workers and says so', () => {
    const r = sizeReplyFor(saturatedEvidence(), 100_000);
    expect(r.advice?.workers?.recommended).toBe(40);
    expect(r.advice?.workers?.uncapped).toBe(1333);
    expect(r.flags?.map((f) => `${f.subject}:${f.kind}`)).toEqual(['formula:above-current-max', 'formula:large-cluster', 'advice:capped']);
  });
  it('an advice more than 4× the current max_workers is flagged', () => {
    const e = fakeEvidence({
      nodeMetrics: fakeNodeSamples({ workers: 8, cpu: 80 }),
      clusterResources: fakeClusterSamples({ numExecutors: 8, slotUtilization: 1, queuedTasks: 50, optimalExecutors: 40 }),
    });
    const advice = advise(e);
    expect(advice.workers?.recommended).toBe(40);
    const flags = sizeFlags(calculateClusterSize(5), advice, 8);
    expect(flags.map((f) => `${f.subject}:${f.kind}`)).toEqual(['advice:above-current-max']);
  });
});

describe('without node metrics', () => {
  it('classic compute without node metrics or cluster_resources → the formula alone, and says so', () => {
    const e = fakeEvidence({ nodeMetrics: null, clusterResources: [], gaps: ['node_metrics', 'cluster_resources'] });
    const a = advise(e, 300);
    expect(a.workers).toMatchObject({ basis: 'formula', recommended: 4, min: 2, max: 8, departsFromFormula: false });
    expect(a.workers!.reason).toMatch(/No node metrics/);
  });
});
