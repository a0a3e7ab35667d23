import { describe, expect, it } from 'vitest';
import type { Evidence, FlowInfo } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/broadcast-join-candidate.js';
import { fakeCluster, fakeEvidence, fakeFlow, fakeNodeSamples } from '../../support/fake-evidence.js';

const SMJ = `== Physical Plan ==
*(5) SortMergeJoin [product_id#12], [product_id#40], LeftOuter
:- *(2) Sort [product_id#12 ASC NULLS FIRST]
:  +- Exchange hashpartitioning(product_id#12, 200)
+- *(4) Sort [product_id#40 ASC NULLS FIRST]
   +- Exchange hashpartitioning(product_id#40, 200)
      +- FileScan delta main.sales.dim_products[product_id#40,name#41]`;
const PHOTON_SHJ = 'PhotonShuffledHashJoin [customer_id#3], [customer_id#30], Inner, BuildRight\n+- PhotonScan delta main.sales.customers_dim';

const enriched = (o: Partial<FlowInfo> = {}): FlowInfo =>
  fakeFlow({ name: 'main.sales.enriched_orders', inputDatasets: ['main.sales.orders_silver', 'main.sales.dim_products'], explainText: SMJ, ...o });
const THRESHOLD = 'spark.sql.autoBroadcastJoinThreshold';

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (no plans)', evidence: fakeEvidence() },
  { name: 'no flows', evidence: fakeEvidence({ flows: [] }) },
  { name: 'threshold already 100 MB (configuration)', evidence: fakeEvidence({ flows: [enriched()], spec: { configuration: { [THRESHOLD]: '104857600' } } }) },
  { name: 'threshold 200MB on the cluster', evidence: fakeEvidence({ flows: [enriched()], spec: { clusters: [fakeCluster({ sparkConf: { [THRESHOLD]: '200MB' } })] } }) },
  { name: 'already broadcast', evidence: fakeEvidence({ flows: [enriched({ explainText: 'BroadcastHashJoin [product_id#12], [product_id#40]\n+- FileScan delta main.sales.dim_products' })] }) },
  { name: 'shuffle join of two fact tables', evidence: fakeEvidence({ flows: [fakeFlow({ inputDatasets: ['main.sales.orders', 'main.sales.payments'], explainText: SMJ.replace('dim_products', 'payments') })] }) },
];

describe('broadcast-join-candidate', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each([
    { name: 'SortMergeJoin with dim_products, threshold unset', evidence: fakeEvidence({ flows: [enriched()] }), severity: 'info', table: 'main.sales.dim_products', operator: 'SortMergeJoin', threshold: 'unset (10 MB default)', bytes: 10 * 1024 * 1024 },
    {
      name: 'Photon shuffled hash join with customers_dim, threshold 10MB, shuffle-heavy run',
      evidence: fakeEvidence({
        flows: [enriched({ inputDatasets: ['main.sales.orders_silver', 'main.sales.customers_dim'], explainText: PHOTON_SHJ })],
        spec: { configuration: { [THRESHOLD]: '10MB' } },
        nodeMetrics: fakeNodeSamples({ netBytesPerMin: 2 * 1024 ** 3, cpu: 35 }),
      }),
      severity: 'warning',
      table: 'main.sales.customers_dim',
      operator: 'ShuffledHashJoin',
      threshold: '10MB',
      bytes: 10 * 1024 * 1024,
    },
    { name: 'broadcasting disabled (-1), table only named in the plan', evidence: fakeEvidence({ flows: [enriched({ inputDatasets: ['main.sales.orders_silver'] })], spec: { configuration: { [THRESHOLD]: '-1' } } }), severity: 'info', table: 'main.sales.dim_products', operator: 'SortMergeJoin', threshold: '-1', bytes: -1 },
  ])('invalid: $name', (c) => {
    const results = rule.run(c.evidence);
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('shuffledDimension');
    expect(r.severity).toBe(c.severity);
    expect(r.data).toEqual({ flow: 'main.sales.enriched_orders', table: c.table, operator: c.operator, threshold: c.threshold });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: THRESHOLD, value: c.bytes, threshold: 104_857_600, source: 'pipeline.spec' }));
    expect(r.fixes).toEqual([{ id: 'broadcast-threshold', params: { flow: 'main.sales.enriched_orders', table: c.table } }]);
    expect(r.strength).toBeGreaterThanOrEqual(0.5);
  });
});
