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
    recent: { cpu: 72 },
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
