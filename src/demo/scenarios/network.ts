/** Demo scenarios whose intended verdict is `network` (docs/demo-workspace.md). */
import type { ScenarioDef } from '../generate/model.js';
import { GB, MB } from '../generate/units.js';

export const paymentsJoin: ScenarioDef = {
    name: 'payments_join',
    scenario: 'network',
    expected: 'network',
    summary: 'A SortMergeJoin with dim_merchants shuffles ~2.5 GB per worker-minute while CPU sits at ~35%.',
    catalog: 'main',
    schema: 'payments',
    owner: 'mia@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 10, mode: 'ENHANCED' } },
    shape: 'nested',
    durationS: 2100,
    hourUtc: 2,
    flows: [
      { table: 'transactions_bronze', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'payments.transactions', inputs: ['kafka:payments.transactions'], language: 'PYTHON', rows: 22_000_000, rowBytes: 350, at: [0, 0.5], backlogBytes: 7.5 * GB },
      { table: 'payments_enriched', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.payments.transactions_bronze', inputs: ['main.payments.transactions_bronze', 'main.payments.dim_merchants'], language: 'SQL', rows: 21_800_000, rowBytes: 520, at: [0.05, 0.97], backlogBytes: 7 * GB, fileBytes: 120 * MB, explain: `== Physical Plan ==\nAppendData\n+- *(5) Project [txn_id#1, amount#2, merchant_id#3, merchant_name#20, mcc#21, country#22]\n   +- *(5) SortMergeJoin [merchant_id#3], [merchant_id#19], Inner\n      :- *(2) Sort [merchant_id#3 ASC NULLS FIRST], false, 0\n      :  +- Exchange hashpartitioning(merchant_id#3, 400), ENSURE_REQUIREMENTS\n      :     +- StreamingRelation delta main.payments.transactions_bronze\n      +- *(4) Sort [merchant_id#19 ASC NULLS FIRST], false, 0\n         +- Exchange hashpartitioning(merchant_id#19, 400), ENSURE_REQUIREMENTS\n            +- *(3) ColumnarToRow\n               +- FileScan parquet main.payments.dim_merchants[merchant_id#19,merchant_name#20,mcc#21,country#22] Batched: true, Format: Parquet` },
      { table: 'merchant_daily', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.payments.payments_enriched'], language: 'SQL', rows: 310_000, rowBytes: 130, at: [0.9, 0.99], planning: 'incremental' },
    ],
    recent: { cpu: 35, netMB: 2600, util: 0.6, cpuRatio: 0.4 },
  };
