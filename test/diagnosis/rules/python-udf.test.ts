import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/python-udf.js';
import { fakeEvidence, fakeFlow, fakeUpdate } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { flowAt } from './helpers.js';

const UDF_PLAN = `== Physical Plan ==
*(2) Project [order_id#1, pythonUDF0#20 AS region#7]
+- BatchEvalPython [normalize_region(region#3)#6], [pythonUDF0#20]
   +- FileScan delta main.sales.orders_bronze`;
const ARROW_PLAN = '+- ArrowEvalPython [score(amount#4)#9], [pythonUDF0#21], 200';

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (no plans)', evidence: fakeEvidence() },
  { name: 'no flows', evidence: fakeEvidence({ flows: [] }) },
  { name: 'plan without Python', evidence: fakeEvidence({ flows: [fakeFlow({ explainText: '*(1) Project\n+- PhotonScan parquet main.sales.orders_bronze' })] }) },
  { name: 'UDF in a short flow (95 s, 12% of the run)', evidence: fakeEvidence({ flows: [flowAt('main.sales.orders_silver', 0, 95 / 60, { explainText: UDF_PLAN })] }) },
  {
    // 6 minutes long, but side by side with three other flows and off the critical path: ~12% of the run is its own
    name: 'UDF in a long flow that runs beside three others, off the critical path',
    evidence: fakeEvidence({
      flows: [
        flowAt('udf', 0, 6, { explainText: UDF_PLAN }),
        flowAt('b', 0, 6),
        flowAt('c', 0, 6),
        flowAt('d', 0, 12),
      ],
    }),
  },
  { name: 'no running time known', evidence: fakeEvidence({ update: fakeUpdate({ phasesS: {}, durationS: null }), flows: [fakeFlow({ explainText: UDF_PLAN })] }) },
  { name: 'flow duration unknown', evidence: fakeEvidence({ flows: [fakeFlow({ explainText: UDF_PLAN, durationS: null })] }) },
];

describe('python-udf', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each([
    { name: 'BatchEvalPython in the main flow', flows: [fakeFlow({ explainText: UDF_PLAN })], messageId: 'pythonUdf', marker: 'BatchEvalPython', share: 92, flow: 'main.sales.orders_silver' },
    {
      name: 'ArrowEvalPython in two long flows',
      // a: minutes 0–5 (300 s), b: minutes 4.67–13 (500 s, ends the update)
      flows: [flowAt('a', 0, 5, { explainText: ARROW_PLAN }), flowAt('b', 13 - 500 / 60, 13, { explainText: UDF_PLAN })],
      messageId: 'pythonUdfMany',
      marker: 'BatchEvalPython',
      share: 64,
      flow: 'b',
    },
  ])('invalid: $name', (c) => {
    const r = expectOneResult(rule, fakeEvidence({ flows: c.flows }));
    expect(r.messageId).toBe(c.messageId);
    expect(r.severity ?? rule.meta.severity).toBe('warning');
    expect(r.data).toMatchObject({ flow: c.flow, marker: c.marker, share: c.share });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: `${c.flow} plan operator`, value: c.marker, source: 'event_log:flow_definition' }));
    expect(r.fixes).toEqual([{ id: 'replace-python-udf', params: { flow: c.flow } }]);
  });

  it('without a timeline, reads the flow duration against the running phase', () => {
    expect(rule.run(fakeEvidence({ timeline: null, flows: [fakeFlow({ explainText: UDF_PLAN, durationS: 95 })] }))).toEqual([]);
    expect(rule.run(fakeEvidence({ timeline: null, flows: [fakeFlow({ explainText: UDF_PLAN, durationS: 390 })] }))[0]!.data).toMatchObject({ share: 50 });
  });
});
