/** Demo scenarios whose intended verdict is `scaling` (docs/demo-workspace.md). */
import type { ScenarioDef } from '../generate/model.js';
import { GB, MB } from '../generate/units.js';

export const eventsBronze: ScenarioDef = {
  name: 'events_bronze',
  scenario: 'autoscale-ceiling',
  expected: 'scaling',
  summary: 'Pinned at max_workers 8 with queued tasks, slot utilization 0.97, optimal_num_executors 16.',
  catalog: 'main',
  schema: 'events',
  owner: 'noah@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
  shape: 'nested',
  durationS: 1800,
  hourUtc: 5,
  flows: [
    { table: 'events_raw', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'app.events', inputs: ['kafka:app.events'], language: 'PYTHON', rows: 40_000_000, rowBytes: 260, at: [0, 0.7], backlogBytes: 6 * GB },
    { table: 'events_bronze', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.events.events_raw', inputs: ['main.events.events_raw'], language: 'PYTHON', rows: 39_500_000, rowBytes: 300, at: [0.03, 0.97], backlogBytes: 5.5 * GB, fileBytes: 128 * MB },
    { table: 'events_dedup', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'main.events.events_bronze', inputs: ['main.events.events_bronze'], language: 'SQL', rows: 38_000_000, rowBytes: 300, at: [0.1, 0.98], backlogBytes: 5 * GB, fileBytes: 128 * MB },
  ],
  recent: { cpu: 80, executors: 8, optimal: 16, util: 0.97, queued: 42, mem: 71 },
};

export const legacySales: ScenarioDef = {
  name: 'legacy_sales',
  scenario: 'legacy-autoscaling',
  expected: 'scaling',
  summary: 'Legacy autoscaling (mode LEGACY) on the updates cluster, pinned at its 6-worker max.',
  catalog: 'main',
  schema: 'sales',
  owner: 'dana@example.com',
  photon: true,
  edition: 'PRO',
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 6, mode: 'LEGACY' } },
  shape: 'flat',
  durationS: 2000,
  hourUtc: 4,
  flows: [
    { table: 'sales_raw', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-landing/sales/', inputs: ['s3://acme-landing/sales/'], language: 'SQL', rows: 12_000_000, rowBytes: 330, at: [0, 0.6], backlogBytes: 4 * GB, fileBytes: 128 * MB },
    { table: 'sales_by_region', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.sales.sales_raw'], language: 'SQL', rows: 64_000, rowBytes: 120, at: [0.6, 0.98], planning: 'incremental' },
  ],
  recent: { cpu: 77, executors: 6, optimal: 9, util: 0.95, queued: 25 },
};

export const warehouseSync: ScenarioDef = {
  name: 'warehouse_sync',
  scenario: 'over-provisioned',
  expected: 'scaling',
  summary: 'A fixed 16-worker cluster idles at ~20% CPU and 0.2 slot utilization.',
  catalog: 'main',
  schema: 'warehouse',
  owner: 'omar@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', numWorkers: 16 },
  shape: 'flat',
  durationS: 1500,
  hourUtc: 3,
  flows: [
    { table: 'shipments_sync', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'ops.wms.shipments_cdc', inputs: ['ops.wms.shipments_cdc'], language: 'SQL', rows: 2_100_000, rowBytes: 400, at: [0, 0.7], backlogBytes: 0.7 * GB, fileBytes: 64 * MB },
    { table: 'bin_locations', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['ops.wms.bins'], language: 'SQL', rows: 650_000, rowBytes: 120, at: [0.1, 0.6], planning: 'incremental' },
    { table: 'warehouse_snapshot', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.warehouse.shipments_sync', 'main.warehouse.bin_locations'], language: 'SQL', rows: 30_000, rowBytes: 160, at: [0.7, 0.98], planning: 'incremental' },
  ],
  recent: { cpu: 20, util: 0.2, queued: 0, netMB: 120, cpuRatio: 0.5, mem: 34 },
};

export const storePosIngest: ScenarioDef = {
  name: 'store_pos_ingest',
  scenario: 'legacy-ramp-up',
  expected: 'scaling',
  summary: 'LEGACY autoscaling ramps 2 → 12 executors over ~25 minutes while hundreds of tasks queue and slots are ~95% busy; no autoscale events or optimal-size fields to read.',
  catalog: 'main',
  schema: 'store_ops',
  owner: 'ahmed@example.com',
  photon: true,
  edition: 'PRO',
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 16, mode: 'LEGACY' } },
  shape: 'nested',
  autoscaleFields: false,
  durationS: 2400,
  hourUtc: 1,
  flows: [
    { table: 'pos_events_raw', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'stores.pos.events', inputs: ['kafka:stores.pos.events'], language: 'PYTHON', rows: 36_000_000, rowBytes: 310, at: [0, 0.75], backlogBytes: 11 * GB },
    { table: 'pos_transactions', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'main.store_ops.pos_events_raw', inputs: ['main.store_ops.pos_events_raw'], language: 'SQL', rows: 35_000_000, rowBytes: 290, at: [0.03, 0.93], backlogBytes: 10 * GB, fileBytes: 128 * MB },
    { table: 'store_hourly_sales', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.store_ops.pos_transactions'], language: 'SQL', rows: 190_000, rowBytes: 130, at: [0.93, 0.995], planning: 'incremental' },
  ],
  // LEGACY autoscaling starts at min_workers on every run and adds executors slowly
  base: { ramp: { from: 2, to: 12, minutes: 25 }, util: 0.93, queued: 300 },
  recent: { util: 0.95, queued: 480, cpu: 82, mem: 68 },
};
