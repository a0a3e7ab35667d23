import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/oom-errors.js';
import { T0, fakeError, fakeEvidence } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (no errors)', evidence: fakeEvidence() },
  { name: 'an unrelated error', evidence: fakeEvidence({ errors: [fakeError({ exceptions: [{ className: 'java.io.FileNotFoundException', message: 'No such file' }] })] }) },
  { name: 'OOM mentioned at INFO level', evidence: fakeEvidence({ errors: [fakeError({ level: 'INFO' })] }) },
];

const KILLED = fakeError({
  level: 'WARN',
  message: 'Lost executor 3',
  exceptions: [{ className: 'org.apache.spark.SparkException', message: 'ExecutorLostFailure (executor 3 exited caused by one of the running tasks) Reason: Container killed on request. Exit code is 137' }],
});

const invalid: { name: string; evidence: Evidence; messageId: string; severity: string; count: number; pattern: string; className?: string }[] = [
  { name: 'one heap OOM', evidence: fakeEvidence({ errors: [fakeError()] }), messageId: 'oom', severity: 'warning', count: 1, pattern: 'OutOfMemoryError', className: 'java.lang.OutOfMemoryError' },
  { name: 'a fatal OOM', evidence: fakeEvidence({ errors: [fakeError({ fatal: true, exceptions: [{ className: 'org.apache.spark.memory.SparkOutOfMemoryError', message: 'Unable to acquire 65536 bytes' }] })] }), messageId: 'oom', severity: 'critical', count: 1, pattern: 'OutOfMemoryError' },
  { name: 'three lost executors (exit code 137)', evidence: fakeEvidence({ errors: [KILLED, { ...KILLED, t: T0 + 8 * 60_000 }, { ...KILLED, t: T0 + 9 * 60_000 }] }), messageId: 'oomRepeated', severity: 'critical', count: 3, pattern: 'Container killed' },
  { name: 'GC overhead in the event message only', evidence: fakeEvidence({ errors: [fakeError({ message: 'GC overhead limit exceeded', exceptions: [] })] }), messageId: 'oom', severity: 'warning', count: 1, pattern: 'GC overhead limit' },
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
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'memory failure events', value: c.count, source: 'event_log:errors' }));
    if (c.className) expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'first exception class', value: c.className }));
    expect(r.fixes.map((f) => f.id)).toEqual(['memory-optimized-instances', 'offheap-memory']);
  });
});
