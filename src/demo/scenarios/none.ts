/** Demo scenarios whose intended verdict is `none` (docs/demo-workspace.md). */
import type { ScenarioDef } from '../generate/model.js';
import { GB, MB } from '../generate/units.js';

export const reportsGold: ScenarioDef = {
  name: 'reports_gold',
  scenario: 'healthy',
  expected: 'none',
  summary: 'Healthy: CPU ~72%, incremental MV refreshes, nothing to fix.',
  catalog: 'main',
  schema: 'reporting',
  owner: 'ana@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
  shape: 'flat',
  durationS: 1200,
  hourUtc: 7,
  flows: [
    { table: 'revenue_daily', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.sales.orders_silver'], language: 'SQL', rows: 3_600, rowBytes: 110, at: [0, 0.45], planning: 'incremental' },
    { table: 'customer_ltv', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.crm.customer_360', 'main.sales.orders_silver'], language: 'SQL', rows: 1_750_000, rowBytes: 90, at: [0.1, 0.9], planning: 'incremental', explain: `== Physical Plan ==\n*(3) HashAggregate(keys=[customer_id#1], functions=[sum(amount#9)])\n+- *(3) BroadcastHashJoin [customer_id#1], [customer_id#8], Inner, BuildRight\n   :- FileScan parquet main.crm.customer_360\n   +- BroadcastExchange HashedRelationBroadcastMode\n      +- FileScan parquet main.sales.orders_silver` },
    { table: 'kpi_board', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.reporting.revenue_daily', 'main.reporting.customer_ltv'], language: 'SQL', rows: 120, rowBytes: 200, at: [0.9, 0.99], planning: 'incremental' },
  ],
  recent: { cpu: 72, mem: 66 },
};

export const webSessionsServerless: ScenarioDef = {
  name: 'web_sessions_serverless',
  scenario: 'serverless-healthy',
  expected: 'none',
  summary: 'Healthy serverless pipeline: no clusters, so no node metrics or cluster_resources.',
  catalog: 'main',
  schema: 'web',
  owner: 'sam@example.com',
  photon: true,
  serverless: true,
  shape: 'nested',
  durationS: 900,
  hourUtc: 7,
  flows: [
    { table: 'sessions_bronze', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-web/sessions/', inputs: ['s3://acme-web/sessions/'], language: 'SQL', rows: 4_200_000, rowBytes: 380, at: [0, 0.6], backlogBytes: 1.5 * GB, fileBytes: 120 * MB },
    { table: 'sessions_daily', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.web.sessions_bronze'], language: 'SQL', rows: 28_000, rowBytes: 140, at: [0.6, 0.98], planning: 'incremental' },
  ],
  recent: { waitS: 20, initS: 25, setupS: 15 },
};
export const factSalesDaily: ScenarioDef = {
  name: 'fact_sales_daily',
  scenario: 'healthy-busy',
  expected: 'none',
  summary: 'Healthy and busy: workers at 70–85% CPU for the whole run (the guide’s optimal band), one 3-minute spike, usual duration.',
  catalog: 'main',
  schema: 'retail',
  owner: 'priya@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 10, mode: 'ENHANCED' } },
  shape: 'nested',
  durationS: 1800,
  hourUtc: 4,
  flows: [
    { table: 'pos_sales_bronze', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-retail/pos/sales/', inputs: ['s3://acme-retail/pos/sales/'], language: 'SQL', rows: 14_000_000, rowBytes: 290, at: [0, 0.55], backlogBytes: 4 * GB, fileBytes: 128 * MB },
    { table: 'sales_clean', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'main.retail.pos_sales_bronze', inputs: ['main.retail.pos_sales_bronze'], language: 'SQL', rows: 13_800_000, rowBytes: 260, at: [0.04, 0.8], backlogBytes: 3.7 * GB, fileBytes: 110 * MB, expectations: ['valid_store', 'non_negative_qty'] },
    { table: 'fact_sales_daily', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.retail.sales_clean', 'main.retail.stores'], language: 'SQL', rows: 2_100_000, rowBytes: 180, at: [0.55, 0.97], planning: 'incremental' },
    { table: 'store_kpis', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.retail.fact_sales_daily'], language: 'SQL', rows: 1_400, rowBytes: 220, at: [0.97, 0.995], planning: 'incremental' },
  ],
  recent: { cpu: 78, mem: 72, netMB: 420, wait: 3.5, util: 0.86, queued: 4, spikes: [{ at: 0.55, minutes: 3, cpu: 97 }] },
};

export const subscriptionsSilver: ScenarioDef = {
  name: 'subscriptions_silver',
  scenario: 'full-refresh',
  expected: 'none',
  summary: 'The latest update is a user-started full refresh: ~2.9× the incremental runs, like the earlier full refreshes; cluster busy at 70–85%.',
  catalog: 'main',
  schema: 'subs',
  owner: 'tom@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 12, mode: 'ENHANCED' } },
  shape: 'flat',
  durationS: 1500,
  hourUtc: 6,
  flows: [
    { table: 'subscription_events_bronze', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-subs/events/', inputs: ['s3://acme-subs/events/'], language: 'PYTHON', rows: 3_800_000, rowBytes: 340, at: [0, 0.5], backlogBytes: 1.3 * GB, fileBytes: 128 * MB },
    { table: 'subscriptions_silver', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'main.subs.subscription_events_bronze', inputs: ['main.subs.subscription_events_bronze'], language: 'SQL', rows: 3_700_000, rowBytes: 300, at: [0.05, 0.85], backlogBytes: 1.2 * GB, fileBytes: 110 * MB, expectations: ['valid_plan'] },
    { table: 'mrr_monthly', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.subs.subscriptions_silver'], language: 'SQL', rows: 36_000, rowBytes: 140, at: [0.85, 0.97], planning: 'incremental' },
    { table: 'churn_cohorts', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.subs.subscriptions_silver'], language: 'SQL', rows: 4_800, rowBytes: 160, at: [0.86, 0.99], planning: 'incremental' },
  ],
  // the owner runs a full refresh every three weeks or so (after a schema change upstream)
  fullRefreshes: [0, 8, 16],
  recent: { cpu: 73, mem: 66 },
  latest: { cpu: 80, mem: 74, netMB: 520, util: 0.87, queued: 6, executors: 9, resetS: 100 },
};

export const revenueRecognition: ScenarioDef = {
  name: 'revenue_recognition',
  scenario: 'permission-failure',
  expected: 'none',
  summary: "The latest update FAILED a minute into RUNNING: PERMISSION_DENIED, the run-as user lacks USE SCHEMA on main.finance (a grant, not compute).",
  catalog: 'main',
  schema: 'accounting',
  owner: 'ines@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 6, mode: 'ENHANCED' } },
  shape: 'nested',
  durationS: 1500,
  hourUtc: 3,
  flows: [
    { table: 'contracts_silver', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'main.sales_ops.contracts_cdc', inputs: ['main.sales_ops.contracts_cdc'], language: 'SQL', rows: 420_000, rowBytes: 700, at: [0, 0.4], backlogBytes: 0.4 * GB, fileBytes: 64 * MB },
    { table: 'gl_revenue_postings', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.finance.gl_journal', inputs: ['main.finance.gl_journal'], language: 'SQL', rows: 2_600_000, rowBytes: 240, at: [0, 0.6], backlogBytes: 0.9 * GB, fileBytes: 96 * MB, failing: true },
    { table: 'revenue_schedule', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.accounting.contracts_silver', 'main.accounting.gl_revenue_postings'], language: 'SQL', rows: 310_000, rowBytes: 190, at: [0.6, 0.98], planning: 'incremental' },
  ],
  recent: {},
  latest: { state: 'FAILED', failure: 'permission', failAt: 0.05 },
};
