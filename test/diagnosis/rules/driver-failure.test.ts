import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/driver-failure.js';
import { T0, fakeError, fakeEvidence, fakeNodeSamples, fakeUpdate } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { MEMORY_MESSAGES as M } from './helpers.js';

const MIN = 60_000;
const MAX_RESULT = fakeError({
  message: "Flow 'daily_summary' has FAILED.",
  flowName: 'daily_summary',
  exceptions: [{ className: 'org.apache.spark.SparkException', message: M.maxResultSize }],
});
const driverFull = fakeNodeSamples({ driverMem: 95 });

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (no errors)', evidence: fakeEvidence() },
  { name: 'an unrelated error', evidence: fakeEvidence({ errors: [fakeError({ exceptions: [{ className: 'java.io.FileNotFoundException', message: 'No such file' }] })] }) },
  // task-level OOM is oom-errors', even with the driver's memory full
  { name: 'a task-level "Java heap space … Lost task 3.0 in stage 7.0 (TID 55) (executor 2)"', evidence: fakeEvidence({ errors: [fakeError({ message: M.taskHeap, exceptions: [] })], nodeMetrics: driverFull }) },
  { name: 'an OOM outside any task while the driver’s memory is fine (45%)', evidence: fakeEvidence({ errors: [fakeError()] }) },
  { name: 'an executor container killed (exit code 137; "Driver stacktrace" is not the driver)', evidence: fakeEvidence({ errors: [fakeError({ message: `${M.killed137}\nDriver stacktrace:`, exceptions: [] })] }) },
  { name: 'an executor container killed (exit code 137)', evidence: fakeEvidence({ errors: [fakeError({ message: M.killed137, exceptions: [] })] }) },
  { name: 'spot preemption', evidence: fakeEvidence({ errors: [fakeError({ level: 'WARN', message: M.spot, exceptions: [] })] }) },
  { name: 'maxResultSize at INFO level', evidence: fakeEvidence({ errors: [{ ...MAX_RESULT, level: 'INFO' }] }) },
];

const COLLECT_FIRST = [{ id: 'avoid-collect' }, { id: 'larger-driver' }];
const DRIVER_FIRST = [{ id: 'larger-driver', params: { first: true } }, { id: 'avoid-collect' }];
const invalid: { name: string; evidence: Evidence; severity: string; pattern: string; where: string; count: number; fixes?: unknown[] }[] = [
  {
    name: '"Total size of serialized results of 3127 tasks (4.1 GiB) is bigger than spark.driver.maxResultSize (4.0 GiB)"',
    evidence: fakeEvidence({ errors: [MAX_RESULT] }),
    severity: 'warning',
    pattern: 'spark.driver.maxResultSize exceeded',
    where: ' (flow daily_summary)',
    count: 1,
  },
  {
    name: 'maxResultSize and the update FAILED',
    evidence: fakeEvidence({ update: fakeUpdate({ state: 'FAILED' }), errors: [MAX_RESULT] }),
    severity: 'critical',
    pattern: 'spark.driver.maxResultSize exceeded',
    where: ' (flow daily_summary)',
    count: 1,
  },
  { name: 'driver not responsive (GC)', evidence: fakeEvidence({ errors: [fakeError({ message: M.unresponsive, exceptions: [] })] }), severity: 'warning', pattern: 'driver not responsive (GC)', where: '', count: 1 },
  {
    name: 'driver stopped unexpectedly, twice',
    evidence: fakeEvidence({ errors: [fakeError({ message: M.stopped, exceptions: [] }), fakeError({ t: T0 + 10 * MIN, message: M.stopped, exceptions: [] })] }),
    severity: 'critical',
    pattern: 'driver stopped unexpectedly',
    where: '',
    count: 2,
    fixes: DRIVER_FIRST,
  },
  {
    name: 'the driver killed with exit code 137 (a larger driver node first)',
    evidence: fakeEvidence({ errors: [fakeError({ fatal: true, message: M.driver137, exceptions: [] })] }),
    severity: 'critical',
    pattern: 'driver killed for memory (exit code 137)',
    where: '',
    count: 1,
    fixes: DRIVER_FIRST,
  },
  {
    name: '"The driver is temporarily unavailable"',
    evidence: fakeEvidence({ errors: [fakeError({ message: M.unavailable, exceptions: [] })] }),
    severity: 'warning',
    pattern: 'driver stopped unexpectedly',
    where: '',
    count: 1,
    fixes: DRIVER_FIRST,
  },
  {
    name: 'GC overhead with no task context while the driver’s memory is full',
    evidence: fakeEvidence({ errors: [fakeError({ exceptions: [{ className: 'java.lang.OutOfMemoryError', message: 'GC overhead limit exceeded' }] })], nodeMetrics: driverFull }),
    severity: 'warning',
    pattern: 'GC overhead limit exceeded',
    where: '',
    count: 1,
  },
  {
    name: 'a fatal OutOfMemoryError on the driver',
    evidence: fakeEvidence({ errors: [fakeError({ fatal: true, message: 'java.lang.OutOfMemoryError: Java heap space in the driver', exceptions: [] })] }),
    severity: 'critical',
    pattern: 'OutOfMemoryError',
    where: '',
    count: 1,
  },
];

describe('driver-failure', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each(invalid)('invalid: $name', (c) => {
    const r = expectOneResult(rule, c.evidence);
    expect(r.messageId).toBe('driverFailed');
    expect(r.severity).toBe(c.severity);
    expect(r.data).toEqual({ pattern: c.pattern, where: c.where });
    expect(r.evidence).toContainEqual({ metric: 'driver memory failures', value: c.count, unit: 'events', threshold: 1, source: 'event_log:errors' });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'first', value: c.pattern }));
    // results collected: stop collecting, then a bigger driver; killed or restarting: a bigger driver
    // first (§8.1); never a worker change
    expect(r.fixes).toEqual(c.fixes ?? COLLECT_FIRST);
    expect(r.rulesOut).toEqual(['workers']);
  });

  it('is a memory finding that outranks a warning when the update failed on it', () => {
    expect(rule.meta.category).toBe('memory');
    expect(rule.run(fakeEvidence({ update: fakeUpdate({ state: 'FAILED' }), errors: [MAX_RESULT] }))[0]!.strength).toBe(1);
    expect(rule.run(fakeEvidence({ errors: [MAX_RESULT] }))[0]!.strength).toBe(0.8);
  });

  it('names the exception class of the first driver failure', () => {
    const [r] = rule.run(fakeEvidence({ errors: [MAX_RESULT] }));
    expect(r!.evidence).toContainEqual({ metric: 'first exception class', value: 'org.apache.spark.SparkException', unit: '', threshold: null, source: 'event_log:errors' });
  });
});
