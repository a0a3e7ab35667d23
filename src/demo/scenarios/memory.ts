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
    { table: 'customer_360', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.crm.customers_silver', 'main.crm.customer_events'], language: 'SQL', rows: 1_750_000, rowBytes: 4200, at: [0.32, 0.98], planning: 'incremental', failing: true, explain: `== Physical Plan ==\n*(5) Project [customer_id#1, ...]\n+- *(5) SortMergeJoin [customer_id#1], [customer_id#40], LeftOuter\n   :- *(2) Sort [customer_id#1 ASC NULLS FIRST]\n   :  +- Exchange hashpartitioning(customer_id#1, 200)\n   :     +- FileScan parquet main.crm.customers_silver\n   +- *(4) Sort [customer_id#40 ASC NULLS FIRST]\n      +- *(4) HashAggregate(keys=[customer_id#40], functions=[collect_list(struct(...))])\n         +- Exchange hashpartitioning(customer_id#40, 200)\n            +- FileScan parquet main.crm.customer_events` },
  ],
  recent: { mem: 95, swap: 10, cpu: 68, oom: 'retried', cpuRatio: 0.55, netMB: 650, wait: 5 },
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
    { table: 'invoices_agg', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.billing.invoice_lines'], language: 'PYTHON', rows: 2_300_000, rowBytes: 700, at: [0.45, 0.97], planning: 'incremental', failing: true },
  ],
  recent: { mem: 88, swap: 1, cpu: 66 },
  latest: { failure: 'oom', mem: 94, swap: 7, state: 'FAILED' },
};

export const claimsAdjudication: ScenarioDef = {
  name: 'claims_adjudication',
  scenario: 'gc-thrash',
  expected: 'memory',
  summary: 'GC thrash: workers at 95%+ memory with swap, executor CPU/time ~0.32, the cluster at max workers but CPU ~25%, `GC overhead limit exceeded` on executors.',
  catalog: 'main',
  schema: 'insurance',
  owner: 'carlos@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 10, mode: 'ENHANCED' } },
  shape: 'nested',
  durationS: 2400,
  hourUtc: 2,
  flows: [
    { table: 'claims_bronze', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-claims/837/', inputs: ['s3://acme-claims/837/'], language: 'PYTHON', rows: 5_200_000, rowBytes: 1_400, at: [0, 0.3], backlogBytes: 7 * GB, fileBytes: 128 * MB },
    { table: 'claim_lines_enriched', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.insurance.claims_bronze', inputs: ['main.insurance.claims_bronze', 'main.insurance.member_eligibility'], language: 'PYTHON', rows: 41_000_000, rowBytes: 520, at: [0.04, 0.93], backlogBytes: 6.5 * GB, fileBytes: 110 * MB, failing: true, hot: true, explain: `== Physical Plan ==\nAppendData\n+- *(4) Project [claim_id#2, line_no#40, member_id#3, cpt_code#41, billed#42, history#77]\n   +- Window [collect_list(struct(cpt_code#41, billed#42, service_date#43), 0, 0) windowspecdefinition(member_id#3, service_date#43 ASC NULLS FIRST, specifiedwindowframe(RowFrame, unboundedpreceding$(), currentrow$())) AS history#77], [member_id#3], [service_date#43 ASC NULLS FIRST]\n      +- *(3) Sort [member_id#3 ASC NULLS FIRST, service_date#43 ASC NULLS FIRST], false, 0\n         +- Exchange hashpartitioning(member_id#3, 200), ENSURE_REQUIREMENTS\n            +- Generate explode(lines#9), [claim_id#2, member_id#3, service_date#43], false, [line_no#40, cpt_code#41, billed#42]\n               +- StreamingRelation delta main.insurance.claims_bronze` },
    { table: 'provider_claims_summary', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.insurance.claim_lines_enriched'], language: 'SQL', rows: 88_000, rowBytes: 150, at: [0.93, 0.99], planning: 'incremental' },
  ],
  recent: { mem: 97, swap: 13, cpu: 25, cpuRatio: 0.32, executors: 10, optimal: 10, util: 0.93, queued: 34, gcWarnings: 5, netMB: 260, wait: 6 },
  latest: { durationFactor: 1.45, gcWarnings: 7 },
};

export const portfolioRiskDaily: ScenarioDef = {
  name: 'portfolio_risk_daily',
  scenario: 'driver-oom',
  expected: 'memory',
  summary: 'The latest update FAILED: a Python flow collects 4.1 GiB to the driver (spark.driver.maxResultSize 4g); driver memory 95%+ while the workers idle.',
  catalog: 'main',
  schema: 'risk',
  owner: 'hana@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', driverNodeType: 'i3.xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' }, sparkConf: { 'spark.driver.maxResultSize': '4g' } },
  shape: 'flat',
  durationS: 2100,
  hourUtc: 5,
  flows: [
    { table: 'positions_snapshot', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.trading.positions', inputs: ['main.trading.positions'], language: 'SQL', rows: 2_900_000, rowBytes: 260, at: [0, 0.25], backlogBytes: 0.8 * GB, fileBytes: 96 * MB },
    { table: 'market_prices', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'marketdata.eod.prices', inputs: ['kafka:marketdata.eod.prices'], language: 'PYTHON', rows: 1_100_000, rowBytes: 120, at: [0, 0.2], backlogBytes: 0.15 * GB },
    { table: 'var_scenarios', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.risk.positions_snapshot', 'main.risk.market_prices'], language: 'PYTHON', rows: 12_000_000, rowBytes: 340, at: [0.27, 0.96], planning: 'incremental', failing: true, hot: true, explain: `== Physical Plan ==\nAdaptiveSparkPlan isFinalPlan=false\n+- *(1) Project [book_id#4, scenario_id#51, var_99#90, es_975#91]\n   +- *(1) Scan ExistingRDD[book_id#4,scenario_id#51,var_99#90,es_975#91]` },
    { table: 'risk_limits_report', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.risk.var_scenarios'], language: 'SQL', rows: 9_500, rowBytes: 210, at: [0.96, 0.995], planning: 'incremental' },
  ],
  recent: { driverMem: 91, driverCpu: 48, cpu: 12, mem: 38, util: 0.14, queued: 0, netMB: 140, executors: 4, cpuRatio: 0.7 },
  latest: { state: 'FAILED', failure: 'driver-result-size', failAt: 0.72, driverMem: 97.5, driverSwap: 6, driverCpu: 63 },
};
