/** Demo scenarios whose intended verdict is `planning` (docs/demo-workspace.md). */
import type { FlowDef, ScenarioDef } from '../generate/model.js';
import { GB, MB } from '../generate/units.js';
import { explainScan } from './helpers.js';

function financeFlows(): FlowDef[] {
  const flows: FlowDef[] = [];
  const areas = ['gl', 'ap', 'ar', 'fx', 'tax', 'payroll', 'assets', 'budget', 'treasury'];
  const stages = ['raw', 'clean', 'conformed', 'summary', 'report'];
  areas.forEach((area, a) => {
    stages.forEach((stage, s) => {
      const table = `${area}_${stage}`;
      const streaming = s === 0 && a < 4;
      const i = a * stages.length + s;
      const start = (s * 0.18 + (a % 3) * 0.02) % 0.8;
      flows.push({
        table,
        kind: s <= 1 ? 'st' : 'mv',
        flowType: s === 0 ? 'APPEND' : s === 1 ? 'CHANGE' : 'MATERIALIZED_VIEW',
        ...(streaming ? { source: 'delta' as const, sourceName: `finance_landing.erp.${area}_extract`, backlogBytes: 3 * GB, fileBytes: 96 * MB } : {}),
        inputs: s === 0 ? [`finance_landing.erp.${area}_extract`] : [`${area}_${stages[s - 1] ?? 'raw'}`],
        language: 'SQL',
        rows: 400_000 + ((i * 7919) % 900_000),
        rowBytes: 220,
        at: [start, Math.min(0.98, start + 0.2)],
        ...(s >= 2 ? { planning: 'incremental' as const } : {}),
      });
    });
  });
  return flows; // 45 flows
}

export const inventoryMv: ScenarioDef = {
  name: 'inventory_mv',
  scenario: 'mv-full-recompute',
  expected: 'planning',
  summary: 'The stock_levels materialized view is fully recomputed every update (CDF_UNAVAILABLE on its source).',
  catalog: 'main',
  schema: 'supply',
  owner: 'omar@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
  shape: 'flat',
  durationS: 1500,
  hourUtc: 7,
  flows: [
    { table: 'inventory_snapshots', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'erp.inventory.snapshots', inputs: ['erp.inventory.snapshots'], language: 'SQL', rows: 3_200_000, rowBytes: 240, at: [0, 0.3], backlogBytes: 0.8 * GB, fileBytes: 80 * MB },
    { table: 'stock_levels', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.supply.inventory_snapshots', 'erp.inventory.locations'], language: 'SQL', rows: 48_000_000, rowBytes: 160, at: [0.3, 0.92], planning: 'recompute', explain: explainScan('main.supply.inventory_snapshots', 'sku, location_id, qty, snapshot_ts') },
    { table: 'warehouse_stock_summary', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.supply.stock_levels'], language: 'SQL', rows: 12_000, rowBytes: 90, at: [0.92, 0.99], planning: 'incremental' },
  ],
  recent: { cpu: 74, mem: 70, netMB: 300 },
};

export const financeMonolith: ScenarioDef = {
  name: 'finance_monolith',
  scenario: 'long-initialization',
  expected: 'planning',
  summary: '45 flows in one pipeline: 12 minutes of INITIALIZING + SETTING_UP_TABLES every update.',
  catalog: 'finance',
  schema: 'core',
  owner: 'ines@example.com',
  photon: true,
  cluster: { nodeType: 'i3.4xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
  maintenanceCluster: true,
  shape: 'nested',
  durationS: 2400,
  hourUtc: 1,
  flows: financeFlows(),
  recent: { initS: 420, setupS: 300, cpu: 64 },
};
