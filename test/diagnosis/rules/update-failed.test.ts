import { describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/update-failed.js';
import { T0, fakeEvidence, fakeUpdate } from '../../support/fake-evidence.js';

const err = (o: Partial<ErrorInfo>): ErrorInfo => ({
  t: T0 + 600_000,
  level: 'ERROR',
  eventType: 'flow_progress',
  message: 'Flow orders_silver has FAILED.',
  fatal: false,
  flowName: null,
  exceptions: [],
  ...o,
});
const failed = fakeUpdate({ state: 'FAILED' });

describe('update-failed', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update', evidence: fakeEvidence() },
    { name: 'completed with errors on the way', evidence: fakeEvidence({ errors: [err({})] }) },
    { name: 'canceled', evidence: fakeEvidence({ update: fakeUpdate({ state: 'CANCELED' }) }) },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('names the first fatal exception, not an earlier non-fatal one', () => {
    const errors = [
      err({ t: T0 + 900_000, fatal: true, eventType: 'update_progress', exceptions: [{ className: 'java.lang.IllegalStateException', message: 'later' }] }),
      err({ t: T0 + 300_000, exceptions: [{ className: 'org.apache.spark.SparkException', message: 'retried' }] }),
      err({
        t: T0 + 600_000,
        fatal: true,
        exceptions: [{ className: 'org.apache.spark.sql.AnalysisException', message: '[TABLE_OR_VIEW_NOT_FOUND] The table\n main.sales.orders cannot be found.' }],
      }),
    ];
    const [r, ...rest] = rule.run(fakeEvidence({ update: failed, errors }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('failedWith');
    expect(r!.severity ?? rule.meta.severity).toBe('critical');
    expect(r!.data).toEqual({ exception: 'org.apache.spark.sql.AnalysisException', message: '[TABLE_OR_VIEW_NOT_FOUND] The table main.sales.orders cannot be found.' });
    expect(r!.evidence).toEqual([
      { metric: 'update state', value: 'FAILED', unit: '', threshold: null, source: 'event_log:update_progress' },
      { metric: 'first fatal exception', value: 'org.apache.spark.sql.AnalysisException', unit: '', threshold: null, source: 'event_log:flow_progress' },
    ]);
    expect(r!.strength).toBe(1);
    expect(r!.fixes).toEqual([]);
  });

  it('falls back to the first ERROR event and shortens long messages', () => {
    const long = 'x'.repeat(1000);
    const [r] = rule.run(fakeEvidence({ update: failed, errors: [err({ level: 'WARN' }), err({ t: T0 + 700_000, exceptions: [{ className: 'E', message: long }] })] }));
    expect(r!.data?.exception).toBe('E');
    expect(String(r!.data?.message)).toHaveLength(300);
    expect(String(r!.data?.message).endsWith('…')).toBe(true);
    expect(r!.data?.fatal).toBe('no');
  });

  it('still reports the failure when the event log holds no error', () => {
    const [r] = rule.run(fakeEvidence({ update: failed, errors: [] }));
    expect(r!.messageId).toBe('failed');
    expect(r!.data).toBeUndefined();
  });
});
