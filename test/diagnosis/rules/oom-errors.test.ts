import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/oom-errors.js';
import { T0, fakeError, fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { MEMORY_MESSAGES as M } from './helpers.js';

const MIN = 60_000;
const KILLED = fakeError({
  level: 'WARN',
  message: 'Lost executor 3',
  flowName: 'orders_silver',
  exceptions: [{ className: 'org.apache.spark.SparkException', message: M.killed137 }],
});
const TASK_OOM = fakeError({ message: M.taskHeap, exceptions: [{ className: 'org.apache.spark.SparkException', message: M.taskHeap }] });
const HEAP_FIXES = ['memory-optimized-instances', 'offheap-memory'];
const KILLED_FIXES = ['executor-memory-overhead', 'memory-optimized-instances'];

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (no errors)', evidence: fakeEvidence() },
  { name: 'an unrelated error', evidence: fakeEvidence({ errors: [fakeError({ exceptions: [{ className: 'java.io.FileNotFoundException', message: 'No such file' }] })] }) },
  { name: 'OOM mentioned at INFO level', evidence: fakeEvidence({ errors: [fakeError({ level: 'INFO' })] }) },
  { name: 'ExecutorLostFailure due to spot preemption', evidence: fakeEvidence({ errors: [fakeError({ level: 'WARN', message: M.spot, exceptions: [] })] }) },
  { name: 'executor decommissioned on scale-down', evidence: fakeEvidence({ errors: [fakeError({ level: 'WARN', message: M.decommission, exceptions: [] })] }) },
  // driver-side failures are driver-failure's
  { name: 'spark.driver.maxResultSize exceeded', evidence: fakeEvidence({ errors: [fakeError({ message: M.maxResultSize, exceptions: [] })] }) },
  { name: 'driver not responsive', evidence: fakeEvidence({ errors: [fakeError({ message: M.unresponsive, exceptions: [] })] }) },
  { name: 'an OOM outside any task while the driver’s memory is full', evidence: fakeEvidence({ errors: [fakeError()], nodeMetrics: fakeNodeSamples({ driverMem: 95 }) }) },
  { name: 'a FetchFailedException with no executor lost', evidence: fakeEvidence({ errors: [fakeError({ message: M.fetch, exceptions: [] })] }) },
];

const invalid: { name: string; evidence: Evidence; messageId: string; severity: string; count: number; pattern: string; fixes: string[]; className?: string }[] = [
  { name: 'one heap OOM', evidence: fakeEvidence({ errors: [fakeError()] }), messageId: 'oom', severity: 'warning', count: 1, pattern: 'OutOfMemoryError', fixes: HEAP_FIXES, className: 'java.lang.OutOfMemoryError' },
  {
    name: 'a fatal OOM',
    evidence: fakeEvidence({ errors: [fakeError({ fatal: true, exceptions: [{ className: 'org.apache.spark.memory.SparkOutOfMemoryError', message: 'Unable to acquire 65536 bytes of memory, got 0' }] })] }),
    messageId: 'oom',
    severity: 'critical',
    count: 1,
    pattern: 'OutOfMemoryError',
    fixes: HEAP_FIXES,
  },
  {
    name: 'three executors killed with exit code 137',
    evidence: fakeEvidence({ errors: [KILLED, { ...KILLED, t: T0 + 8 * MIN }, { ...KILLED, t: T0 + 9 * MIN }] }),
    messageId: 'oomRepeated',
    severity: 'critical',
    count: 3,
    pattern: 'executor container killed for memory (exit code 137)',
    fixes: KILLED_FIXES,
    className: 'org.apache.spark.SparkException',
  },
  { name: 'GC overhead in the event message only', evidence: fakeEvidence({ errors: [fakeError({ message: 'GC overhead limit exceeded', exceptions: [] })] }), messageId: 'oom', severity: 'warning', count: 1, pattern: 'GC overhead limit exceeded', fixes: HEAP_FIXES },
  // the task context says executor, whatever the driver's memory shows
  {
    name: '"Java heap space … Lost task 3.0 in stage 7.0 (TID 55) (executor 2)" with the driver full',
    evidence: fakeEvidence({ errors: [TASK_OOM], nodeMetrics: fakeNodeSamples({ driverMem: 95 }) }),
    messageId: 'oom',
    severity: 'warning',
    count: 1,
    pattern: 'OutOfMemoryError',
    fixes: HEAP_FIXES,
  },
  {
    name: 'an executor killed, then shuffle fetch failures',
    evidence: fakeEvidence({ errors: [KILLED, fakeError({ t: T0 + 9 * MIN, level: 'WARN', message: M.fetch, exceptions: [] })] }),
    messageId: 'oomRepeated',
    severity: 'warning',
    count: 2,
    pattern: 'executor container killed for memory (exit code 137)',
    fixes: KILLED_FIXES,
  },
  {
    name: 'a heap OOM and a killed container: the overhead fix comes first',
    evidence: fakeEvidence({ errors: [TASK_OOM, { ...KILLED, t: T0 + 9 * MIN }] }),
    messageId: 'oomRepeated',
    severity: 'warning',
    count: 2,
    pattern: 'OutOfMemoryError',
    fixes: KILLED_FIXES,
  },
  {
    name: 'spot preemption next to a real OOM counts only the OOM',
    evidence: fakeEvidence({ errors: [fakeError({ level: 'WARN', message: M.spot, exceptions: [] }), { ...TASK_OOM, t: T0 + 9 * MIN }] }),
    messageId: 'oom',
    severity: 'warning',
    count: 1,
    pattern: 'OutOfMemoryError',
    fixes: HEAP_FIXES,
  },
];

describe('oom-errors', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each(invalid)('invalid: $name', (c) => {
    const r = expectOneResult(rule, c.evidence);
    expect(r.messageId).toBe(c.messageId);
    expect(r.severity).toBe(c.severity);
    expect(r.data).toEqual({ pattern: c.pattern, count: c.count });
    expect(r.evidence).toContainEqual({ metric: 'executor memory failures', value: c.count, unit: 'events', threshold: 1, source: 'event_log:errors' });
    if (c.className) expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'first exception class', value: c.className }));
    expect(r.fixes.map((f) => f.id)).toEqual(c.fixes);
    // executor memory: never a driver-only finding
    expect(r.rulesOut).toBeUndefined();
  });

  it('exit code 137: the memory-overhead fix comes first and says so (exit137), ahead of a bigger node', () => {
    const r = expectOneResult(rule, fakeEvidence({ errors: [KILLED] }));
    expect(r.fixes[0]).toEqual({ id: 'executor-memory-overhead', params: { exit137: true } });
  });

  it('exit code 143 (SIGTERM) is an executor lost, not a container killed for memory: no memory-overhead fix', () => {
    const r = expectOneResult(rule, fakeEvidence({ errors: [fakeError({ level: 'WARN', message: M.exit143, exceptions: [] }), fakeError({ t: T0 + 9 * MIN, level: 'WARN', message: 'ExecutorLostFailure (executor 8 exited caused by one of the running tasks) Reason: Container killed on request. Exit code is 143', exceptions: [] })] }));
    expect(r.data).toEqual({ pattern: 'ExecutorLostFailure', count: 2 });
    expect(r.fixes.map((f) => f.id)).toEqual(HEAP_FIXES);
  });

  it('names the first failing flow', () => {
    const [r] = rule.run(fakeEvidence({ errors: [KILLED] }));
    expect(r!.evidence).toContainEqual({ metric: 'first failing flow', value: 'orders_silver', unit: '', threshold: null, source: 'event_log:errors' });
  });

  it('is stronger with more failures, and 1 when one was fatal', () => {
    const one = rule.run(fakeEvidence({ errors: [fakeError()] }))[0]!.strength;
    const two = rule.run(fakeEvidence({ errors: [fakeError(), fakeError({ t: T0 + 9 * MIN })] }))[0]!.strength;
    const fatal = rule.run(fakeEvidence({ errors: [fakeError({ fatal: true })] }))[0]!.strength;
    expect(two).toBeGreaterThan(one);
    expect(fatal).toBe(1);
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence({ errors: [fakeError()] }), { criticalCount: 1 })[0]!.severity).toBe('critical');
  });
});
