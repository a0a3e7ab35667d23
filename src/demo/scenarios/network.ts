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
  recent: { cpu: 35, netMB: 2600, util: 0.6, cpuRatio: 0.4, wait: 7, mem: 72 },
};

export const marketplaceSellerStats: ScenarioDef = {
  name: 'marketplace_seller_stats',
  scenario: 'skew',
  expected: 'network',
  summary: "One seller's orders land on one task: a single worker at ~90% CPU for most of the run while the other seven sit near 22% (skew join disabled in spark_conf).",
  catalog: 'main',
  schema: 'marketplace',
  owner: 'zoe@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', numWorkers: 8, sparkConf: { 'spark.sql.adaptive.skewJoin.enabled': 'false' } },
  shape: 'flat',
  durationS: 2700,
  hourUtc: 2,
  flows: [
    { table: 'order_items_bronze', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.orders_landing.order_items', inputs: ['main.orders_landing.order_items'], language: 'SQL', rows: 18_000_000, rowBytes: 240, at: [0, 0.25], backlogBytes: 4.3 * GB, fileBytes: 128 * MB },
    { table: 'seller_order_items', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.marketplace.order_items_bronze', inputs: ['main.marketplace.order_items_bronze', 'main.marketplace.sellers'], language: 'SQL', rows: 17_900_000, rowBytes: 310, at: [0.08, 0.96], backlogBytes: 4.2 * GB, fileBytes: 120 * MB, hot: true, explain: `== Physical Plan ==\nAppendData\n+- *(5) Project [order_item_id#1, seller_id#3, price#4, seller_tier#22, region#23]\n   +- *(5) SortMergeJoin [seller_id#3], [seller_id#20], Inner\n      :- *(2) Sort [seller_id#3 ASC NULLS FIRST], false, 0\n      :  +- Exchange hashpartitioning(seller_id#3, 200), ENSURE_REQUIREMENTS\n      :     +- StreamingRelation delta main.marketplace.order_items_bronze\n      +- *(4) Sort [seller_id#20 ASC NULLS FIRST], false, 0\n         +- Exchange hashpartitioning(seller_id#20, 200), ENSURE_REQUIREMENTS\n            +- FileScan parquet main.marketplace.sellers[seller_id#20,seller_tier#22,region#23]` },
    { table: 'seller_daily_stats', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.marketplace.seller_order_items'], language: 'SQL', rows: 240_000, rowBytes: 150, at: [0.96, 0.995], planning: 'incremental' },
  ],
  recent: { cpu: 22, skew: { cpu: 90, from: 0.1, tail: 0.7 }, util: 0.24, queued: 0, netMB: 520, mem: 55, cpuRatio: 0.78 },
};
