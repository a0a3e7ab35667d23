/** Demo scenarios whose intended verdict is `cpu` (docs/demo-workspace.md). */
import type { ScenarioDef } from '../generate/model.js';
import { GB, MB } from '../generate/units.js';

export const ordersSilver: ScenarioDef = {
  name: 'orders_silver',
  scenario: 'cpu-saturation',
  expected: 'cpu',
  summary: 'Workers at ~93% CPU on a fixed 4-worker cluster, Photon off.',
  catalog: 'main',
  schema: 'sales',
  owner: 'dana@example.com',
  photon: false,
  cluster: { nodeType: 'i3.2xlarge', numWorkers: 4 },
  shape: 'nested',
  durationS: 1500,
  hourUtc: 6,
  flows: [
    { table: 'orders_bronze', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-landing/orders/', inputs: ['s3://acme-landing/orders/'], language: 'PYTHON', rows: 9_500_000, rowBytes: 310, at: [0, 0.55], backlogBytes: 2.9 * GB, fileBytes: 128 * MB },
    { table: 'orders_silver', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'main.sales.orders_bronze', inputs: ['main.sales.orders_bronze'], language: 'PYTHON', rows: 9_200_000, rowBytes: 280, at: [0.05, 0.92], backlogBytes: 2.6 * GB, fileBytes: 96 * MB, expectations: ['valid_order_id', 'positive_amount'], explain: `== Physical Plan ==\nAppendData\n+- *(2) HashAggregate(keys=[order_id#12], functions=[max_by(struct(...), _commit_version)])\n   +- Exchange hashpartitioning(order_id#12, 200)\n      +- *(1) Project [order_id#12, customer_id#13, amount#14, status#15, _commit_version]\n         +- *(1) Filter (isnotnull(order_id#12) AND (amount#14 > 0.0))\n            +- StreamingRelation delta main.sales.orders_bronze` },
    { table: 'orders_daily_gold', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.sales.orders_silver'], language: 'SQL', rows: 42_000, rowBytes: 120, at: [0.9, 0.99], planning: 'incremental' },
  ],
  recent: { cpu: 95, cpuRatio: 0.9, util: 0.95, queued: 18, driverCpu: 30, mem: 80, netMB: 320 },
};

export const clickstreamEnrich: ScenarioDef = {
  name: 'clickstream_enrich',
  scenario: 'python-udf',
  expected: 'cpu',
  summary: 'A row-at-a-time Python UDF (BatchEvalPython) dominates the enrich flow; executor CPU/time 0.86.',
  catalog: 'main',
  schema: 'web',
  owner: 'sam@example.com',
  photon: false,
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 10, mode: 'ENHANCED' } },
  shape: 'flat',
  durationS: 2400,
  hourUtc: 5,
  flows: [
    { table: 'clicks_raw', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'clickstream.events.v2', inputs: ['kafka:clickstream.events.v2'], language: 'PYTHON', rows: 31_000_000, rowBytes: 420, at: [0, 0.6], backlogBytes: 11 * GB },
    { table: 'clicks_enriched', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.web.clicks_raw', inputs: ['main.web.clicks_raw'], language: 'PYTHON', rows: 30_500_000, rowBytes: 510, at: [0.04, 0.97], backlogBytes: 10 * GB, fileBytes: 110 * MB, explain: `== Physical Plan ==\nAppendData\n+- *(2) Project [event_id#3, user_id#4, url#5, pythonUDF0#41 AS geo#30, pythonUDF1#42 AS device#31]\n   +- BatchEvalPython [parse_user_agent(user_agent#6)#28, lookup_geo(ip#7)#29], [pythonUDF0#41, pythonUDF1#42]\n      +- *(1) Project [event_id#3, user_id#4, url#5, user_agent#6, ip#7]\n         +- StreamingRelation delta main.web.clicks_raw` },
    { table: 'sessions_hourly', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.web.clicks_enriched'], language: 'SQL', rows: 220_000, rowBytes: 140, at: [0.9, 0.995], planning: 'incremental' },
  ],
  recent: { cpu: 79, cpuRatio: 0.86, util: 0.84, queued: 4, mem: 74, netMB: 380, wait: 4 },
};
