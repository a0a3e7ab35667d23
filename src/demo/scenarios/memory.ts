/** Demo scenarios whose intended verdict is `memory` (docs/demo-workspace.md). */
import type { ScenarioDef } from '../generate/model.js';
import { GB, MB } from '../generate/units.js';

export const customer360: ScenarioDef = {
    name: 'customer_360',
    scenario: 'memory',
    expected: 'memory',
    summary: 'Executors die with java.lang.OutOfMemoryError / ExecutorLostFailure (exit code 137); memory 95%, swap 10%.',
    catalog: 'main',
    schema: 'crm',
    owner: 'lee@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
    maintenanceCluster: true,
    shape: 'nested',
    durationS: 2700,
    hourUtc: 4,
    flows: [
      { table: 'customers_silver', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'crm_landing.sf.accounts_cdc', inputs: ['crm_landing.sf.accounts_cdc'], language: 'SQL', rows: 1_800_000, rowBytes: 900, at: [0, 0.3], backlogBytes: 1.6 * GB, fileBytes: 64 * MB },
      { table: 'customer_events', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'crm.events', inputs: ['kafka:crm.events'], language: 'PYTHON', rows: 14_000_000, rowBytes: 650, at: [0, 0.5], backlogBytes: 8 * GB },
      { table: 'customer_360', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.crm.customers_silver', 'main.crm.customer_events'], language: 'SQL', rows: 1_750_000, rowBytes: 4200, at: [0.32, 0.98], planning: 'incremental', oom: true, explain: `== Physical Plan ==\n*(5) Project [customer_id#1, ...]\n+- *(5) SortMergeJoin [customer_id#1], [customer_id#40], LeftOuter\n   :- *(2) Sort [customer_id#1 ASC NULLS FIRST]\n   :  +- Exchange hashpartitioning(customer_id#1, 200)\n   :     +- FileScan parquet main.crm.customers_silver\n   +- *(4) Sort [customer_id#40 ASC NULLS FIRST]\n      +- *(4) HashAggregate(keys=[customer_id#40], functions=[collect_list(struct(...))])\n         +- Exchange hashpartitioning(customer_id#40, 200)\n            +- FileScan parquet main.crm.customer_events` },
    ],
    recent: { mem: 95, swap: 10, cpu: 68, oom: 'retried', cpuRatio: 0.55 },
  };

export const billingFailed: ScenarioDef = {
    name: 'billing_failed',
    scenario: 'failed-oom',
    expected: 'memory',
    summary: 'The latest update FAILED: java.lang.OutOfMemoryError on the invoice aggregation.',
    catalog: 'main',
    schema: 'billing',
    owner: 'lee@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
    shape: 'nested',
    durationS: 2000,
    hourUtc: 5,
    flows: [
      { table: 'invoice_lines', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'billing_landing.erp.invoice_lines', inputs: ['billing_landing.erp.invoice_lines'], language: 'SQL', rows: 18_000_000, rowBytes: 300, at: [0, 0.45], backlogBytes: 5 * GB, fileBytes: 128 * MB },
      { table: 'invoices_agg', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.billing.invoice_lines'], language: 'PYTHON', rows: 2_300_000, rowBytes: 700, at: [0.45, 0.97], planning: 'incremental', oom: true },
    ],
    recent: { mem: 88, swap: 1, cpu: 66 },
    latest: { oom: 'fatal', mem: 94, swap: 7, state: 'FAILED' },
  };
