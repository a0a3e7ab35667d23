import { describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../../src/diagnosis/evidence.js';
import { firstLine, rule } from '../../../src/diagnosis/rules/update-failed.js';
import { T0, fakeEvidence, fakeFlow, fakeUpdate } from '../../support/fake-evidence.js';
import { MEMORY_MESSAGES as M } from './helpers.js';

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
const STATE = { metric: 'update state', value: 'FAILED', unit: '', threshold: null, source: 'event_log:update_progress' };

describe('update-failed', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update', evidence: fakeEvidence() },
    { name: 'completed with errors on the way', evidence: fakeEvidence({ errors: [err({})] }) },
    { name: 'completed after a permission error on the way', evidence: fakeEvidence({ errors: [err({ exceptions: [{ className: 'UnauthorizedAccessException', message: 'PERMISSION_DENIED: User does not have SELECT' }] })] }) },
    { name: 'canceled', evidence: fakeEvidence({ update: fakeUpdate({ state: 'CANCELED' }) }) },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('names the first fatal exception, not an earlier non-fatal one; an OOM is a performance failure (no rulesOut)', () => {
    const errors = [
      err({ t: T0 + 900_000, fatal: true, eventType: 'update_progress', exceptions: [{ className: 'java.lang.IllegalStateException', message: 'later' }] }),
      err({ t: T0 + 300_000, exceptions: [{ className: 'org.apache.spark.SparkException', message: 'retried' }] }),
      err({ t: T0 + 600_000, fatal: true, flowName: 'orders_silver', exceptions: [{ className: 'org.apache.spark.SparkException', message: M.taskHeap.replace('failure: ', 'failure:\n ') }] }),
    ];
    const [r, ...rest] = rule.run(fakeEvidence({ update: failed, errors }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('failedWith');
    expect(r!.severity ?? rule.meta.severity).toBe('critical');
    expect(r!.data).toEqual({ inFlow: ' in flow orders_silver', exception: 'org.apache.spark.SparkException', message: M.taskHeap });
    expect(r!.evidence).toEqual([
      STATE,
      { metric: 'first fatal exception', value: 'org.apache.spark.SparkException', unit: '', threshold: null, source: 'event_log:flow_progress' },
      { metric: 'failing flow', value: 'orders_silver', unit: '', threshold: null, source: 'event_log:flow_progress' },
    ]);
    expect(r!.strength).toBe(1);
    expect(r!.fixes).toEqual([]);
    expect(r!.rulesOut).toBeUndefined();
  });

  it('says "The update failed in flow X: …"', () => {
    const [r] = rule.run(fakeEvidence({ update: failed, errors: [err({ fatal: true, flowName: 'orders_silver', exceptions: [{ className: 'java.lang.OutOfMemoryError', message: 'Java heap space' }] })] }));
    const text = rule.meta.messages[r!.messageId].replace(/{{(\w+)}}/g, (_, k: string) => String(r!.data![k]));
    expect(text).toBe('The update failed in flow orders_silver: java.lang.OutOfMemoryError: Java heap space');
  });

  const notPerformance = [
    {
      name: 'PERMISSION_DENIED',
      exception: { className: 'com.databricks.sql.managedcatalog.acl.UnauthorizedAccessException', message: "PERMISSION_DENIED: User does not have SELECT on Table 'main.sales.customers'." },
      kind: 'permission',
      what: 'a permission error',
    },
    {
      name: 'TABLE_OR_VIEW_NOT_FOUND',
      exception: { className: 'org.apache.spark.sql.catalyst.ExtendedAnalysisException', message: '[TABLE_OR_VIEW_NOT_FOUND] The table or view `main`.`sales`.`orders_raw` cannot be found. Verify the spelling and correctness of the schema and catalog.' },
      kind: 'missing',
      what: 'a missing table, schema or path',
    },
    {
      name: 'DELTA_FAILED_TO_MERGE_FIELDS',
      exception: { className: 'org.apache.spark.sql.AnalysisException', message: "[DELTA_FAILED_TO_MERGE_FIELDS] Failed to merge fields 'amount' and 'amount'" },
      kind: 'schema',
      what: 'a schema change',
    },
    {
      name: 'AnalysisException (UNRESOLVED_COLUMN)',
      exception: { className: 'org.apache.spark.sql.AnalysisException', message: '[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `region_cd` cannot be resolved. Did you mean one of the following? [`region`]' },
      kind: 'analysis',
      what: 'an analysis error in the pipeline code',
    },
    {
      name: 'a failed expectation',
      exception: { className: 'com.databricks.pipelines.common.errors.DLTSparkException', message: "[EXPECTATION_VIOLATION.VERBOSE] Flow 'orders_silver' failed to meet the expectation. Violated expectations: 'valid_amount'." },
      kind: 'expectation',
      what: 'a failed expectation',
    },
  ];
  it.each(notPerformance)('$name: not a performance problem — no compute fix, names the failing flow', (c) => {
    const [r, ...rest] = rule.run(fakeEvidence({ update: failed, errors: [err({ fatal: true, flowName: 'orders_silver', exceptions: [c.exception] })] }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('notPerformance');
    expect(r!.severity ?? rule.meta.severity).toBe('critical');
    expect(r!.data).toEqual({ what: c.what, inFlow: ' in flow orders_silver', exception: c.exception.className, message: c.exception.message.replace(/[.;:\s]+$/, '') }); // the sentence goes on after it
    expect(r!.evidence).toContainEqual({ metric: 'failing flow', value: 'orders_silver', unit: '', threshold: null, source: 'event_log:flow_progress' });
    expect(r!.evidence).toContainEqual({ metric: 'failure kind', value: c.kind, unit: '', threshold: null, source: 'event_log:errors' });
    expect(r!.fixes).toEqual([]);
    expect(r!.rulesOut).toEqual(['compute']);
    expect(r!.strength).toBe(1);
  });

  it('reads the failure kind from the event message too', () => {
    const [r] = rule.run(fakeEvidence({ update: failed, errors: [err({ fatal: true, message: '[TABLE_OR_VIEW_NOT_FOUND] The table or view `orders_bronze` cannot be found.' })] }));
    expect(r!.messageId).toBe('notPerformance');
    expect(r!.data).toMatchObject({ exception: 'flow_progress', what: 'a missing table, schema or path' });
  });

  it.each([
    { name: 'an executor killed with exit code 137', message: M.killed137 },
    { name: 'spark.driver.maxResultSize', message: M.maxResultSize },
    { name: 'an AnalysisException-looking OOM (performance wording wins)', message: 'org.apache.spark.sql.AnalysisException while java.lang.OutOfMemoryError: GC overhead limit exceeded' },
  ])('$name: a performance failure (failedWith, no rulesOut)', ({ message }) => {
    const [r] = rule.run(fakeEvidence({ update: failed, errors: [err({ fatal: true, exceptions: [{ className: 'org.apache.spark.SparkException', message }] })] }));
    expect(r!.messageId).toBe('failedWith');
    expect(r!.rulesOut).toBeUndefined();
  });

  it('without a flow on the error, names the flow whose last status is FAILED', () => {
    const flows = [fakeFlow({ name: 'orders_bronze', finalStatus: 'COMPLETED' }), fakeFlow({ name: 'orders_silver', finalStatus: 'FAILED' })];
    const [r] = rule.run(fakeEvidence({ update: failed, flows, errors: [err({ fatal: true, exceptions: [{ className: 'X', message: 'PERMISSION_DENIED' }] })] }));
    expect(r!.data).toMatchObject({ inFlow: ' in flow orders_silver' });
  });

  it('without any flow to name, says only that the update failed', () => {
    const [r] = rule.run(fakeEvidence({ update: failed, flows: [], errors: [err({ fatal: true, exceptions: [{ className: 'E', message: 'boom' }] })] }));
    expect(r!.data).toMatchObject({ inFlow: '' });
    expect(r!.evidence.map((e) => e.metric)).toEqual(['update state', 'first fatal exception']);
  });

  it('falls back to the first ERROR event and shortens long messages', () => {
    const long = 'x'.repeat(1000);
    const [r] = rule.run(fakeEvidence({ update: failed, errors: [err({ level: 'WARN' }), err({ t: T0 + 700_000, exceptions: [{ className: 'E', message: long }] })] }));
    expect(r!.data?.exception).toBe('E');
    expect(String(r!.data?.message)).toHaveLength(300);
    expect(String(r!.data?.message).endsWith('…')).toBe(true);
    expect(r!.data?.fatal).toBe('no');
  });

  describe('the failing flow and its first exception', () => {
    /** Spark's wording of a task that ran out of heap, with the stack trace the event carries after it */
    const sparkOom =
      'Job aborted due to stage failure: Task 3 in stage 7.0 failed 4 times, most recent failure: Lost task 3.0 in stage 7.0 (TID 55) (10.0.1.12 executor 2): java.lang.OutOfMemoryError: Java heap space\n' +
      '\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n\tat org.apache.spark.sql.execution.UnsafeRowSerializer.serialize(UnsafeRowSerializer.scala:42)\n' +
      'Driver stacktrace:\n\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2984)';
    /** the flow's own FAILED flow_progress event (origin.flow_name, details.flow_progress.status, error.exceptions[]) */
    const flowFailed = (flowName: string, t: number, exceptions: ErrorInfo['exceptions']) =>
      err({ t, flowName, flowStatus: 'FAILED', message: `Flow '${flowName}' has FAILED.`, exceptions });
    /** the update-level update_progress FAILED event: fatal, no flow, its exception only wraps the flow's (class illustrative) */
    const updateFailed = (t: number) =>
      err({ t, eventType: 'update_progress', fatal: true, message: 'Update 7d1c2e is FAILED.', exceptions: [{ className: 'com.databricks.pipelines.UpdateFailedException', message: 'Update failed: one or more flows failed' }] });

    it('names the flow whose FAILED flow_progress event came before the fatal update error, with its first exception’s class and first line', () => {
      const errors = [
        // a flow that failed once and was retried: not what ended the update
        flowFailed('main.sales.orders_bronze', T0 + 200_000, [{ className: 'java.io.IOException', message: 'Connection reset by peer' }]),
        flowFailed('main.sales.orders_silver', T0 + 600_000, [
          { className: 'org.apache.spark.SparkException', message: sparkOom },
          { className: 'java.lang.OutOfMemoryError', message: 'Java heap space' },
        ]),
        updateFailed(T0 + 610_000),
      ];
      const flows = [fakeFlow({ name: 'main.sales.orders_bronze', finalStatus: 'COMPLETED' }), fakeFlow({ name: 'main.sales.orders_silver', finalStatus: 'FAILED' })];
      const [r, ...rest] = rule.run(fakeEvidence({ update: failed, flows, errors }));
      expect(rest).toEqual([]);
      expect(r!.messageId).toBe('failedWith');
      expect(r!.data).toMatchObject({ inFlow: ' in flow main.sales.orders_silver', exception: 'org.apache.spark.SparkException', message: sparkOom.split('\n')[0] });
      expect(String(r!.data!.message)).not.toMatch(/\bat org\.|stacktrace|Arrays\.java/);
      expect(r!.evidence).toContainEqual({ metric: 'first fatal exception', value: 'org.apache.spark.SparkException', unit: '', threshold: null, source: 'event_log:flow_progress' });
      expect(r!.evidence).toContainEqual({ metric: 'failing flow', value: 'main.sales.orders_silver', unit: '', threshold: null, source: 'event_log:flow_progress' });
    });

    it('a flow that failed and was retried yields to the flow whose failure was final', () => {
      const errors = [
        flowFailed('main.sales.orders_bronze', T0 + 200_000, [{ className: 'java.io.IOException', message: 'Connection reset by peer' }]),
        flowFailed('main.sales.customers', T0 + 500_000, [{ className: 'org.apache.spark.sql.AnalysisException', message: '[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `region_cd` cannot be resolved.' }]),
        updateFailed(T0 + 510_000),
      ];
      const flows = [fakeFlow({ name: 'main.sales.orders_bronze', finalStatus: 'COMPLETED' }), fakeFlow({ name: 'main.sales.customers', finalStatus: 'FAILED' })];
      const [r] = rule.run(fakeEvidence({ update: failed, flows, errors }));
      expect(r!.messageId).toBe('notPerformance');
      expect(r!.data).toMatchObject({ inFlow: ' in flow main.sales.customers', exception: 'org.apache.spark.sql.AnalysisException', what: 'an analysis error in the pipeline code' });
    });

    it('with only the update-level error, names the flow whose last status is FAILED rather than an earlier warning’s flow', () => {
      const errors = [err({ t: T0 + 100_000, level: 'WARN', flowName: 'main.sales.orders_bronze', exceptions: [{ className: 'java.io.IOException', message: 'retried' }] }), updateFailed(T0 + 610_000)];
      const flows = [fakeFlow({ name: 'main.sales.orders_bronze', finalStatus: 'COMPLETED' }), fakeFlow({ name: 'main.sales.orders_silver', finalStatus: 'FAILED' })];
      const [r] = rule.run(fakeEvidence({ update: failed, flows, errors }));
      expect(r!.data).toMatchObject({ inFlow: ' in flow main.sales.orders_silver', exception: 'com.databricks.pipelines.UpdateFailedException' });
    });
  });

  it.each([
    { name: 'a Spark stack trace', text: 'Job aborted\n\tat org.apache.spark.SparkContext.runJob(SparkContext.scala:2461)\n\tat x.y(Z.scala:1)', out: 'Job aborted' },
    { name: 'a Python traceback', text: 'Traceback (most recent call last):\n  File "/Workspace/pipeline.py", line 12, in <module>\nNameError: name \'df\' is not defined', out: 'NameError: name \'df\' is not defined' },
    { name: 'an analysis error with its plan after it', text: "[TABLE_OR_VIEW_NOT_FOUND] The table or view `orders_raw` cannot be found. SQLSTATE: 42P01; line 1 pos 14;\n'Project [*]\n+- 'UnresolvedRelation [orders_raw], [], false", out: '[TABLE_OR_VIEW_NOT_FOUND] The table or view `orders_raw` cannot be found. SQLSTATE: 42P01; line 1 pos 14;' },
    { name: 'a first line ending in ":" continues, never into a frame', text: 'Job aborted due to stage failure:\n Lost task 3.0: java.lang.OutOfMemoryError\n\tat a.b(C.java:1)', out: 'Job aborted due to stage failure: Lost task 3.0: java.lang.OutOfMemoryError' },
  ])('firstLine: $name', ({ text, out }) => {
    expect(firstLine(text, 300)).toBe(out);
  });

  it('still reports the failure when the event log holds no error', () => {
    const [r] = rule.run(fakeEvidence({ update: failed, errors: [] }));
    expect(r!.messageId).toBe('failed');
    expect(r!.data).toBeUndefined();
    expect(r!.evidence).toEqual([STATE]);
  });
});
