/** Demo scenarios whose intended verdict is `io` (docs/demo-workspace.md). */
import type { ScenarioDef } from '../generate/model.js';
import { GB, MB } from '../generate/units.js';

export const iotIngest: ScenarioDef = {
  name: 'iot_ingest',
  scenario: 'io',
  expected: 'io',
  summary: 'Auto Loader backlog of ~200k files of ~40 KB; workers wait on I/O (cpu_wait ~32%, CPU ~30%).',
  catalog: 'main',
  schema: 'iot',
  owner: 'ravi@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
  shape: 'flat',
  durationS: 1800,
  hourUtc: 3,
  flows: [
    { table: 'device_readings_raw', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-iot/readings/', inputs: ['s3://acme-iot/readings/'], language: 'PYTHON', rows: 6_000_000, rowBytes: 180, at: [0, 0.9], backlogBytes: 4 * GB, fileBytes: 128 * MB, hot: true },
    { table: 'device_readings_clean', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.iot.device_readings_raw', inputs: ['main.iot.device_readings_raw'], language: 'SQL', rows: 5_900_000, rowBytes: 160, at: [0.05, 0.95], backlogBytes: 1.2 * GB, fileBytes: 64 * MB, expectations: ['valid_device', 'reading_in_range'], hot: true },
    { table: 'device_hourly', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.iot.device_readings_clean'], language: 'SQL', rows: 90_000, rowBytes: 96, at: [0.9, 0.99], planning: 'incremental' },
  ],
  recent: { cpu: 30, wait: 32, util: 0.45, cpuRatio: 0.3, netMB: 420, mem: 58, smallFiles: { start: 200_000, end: 150_000, fileBytes: 40_000 } },
};

export const ledgerNightly: ScenarioDef = {
  name: 'ledger_nightly',
  scenario: 'io-regression',
  expected: 'io',
  summary: 'Latest update took 2.2× its median with flat row counts; workers wait on I/O (cpu_wait ~24%).',
  catalog: 'finance',
  schema: 'ledger',
  owner: 'ines@example.com',
  photon: true,
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
  shape: 'nested',
  durationS: 1800,
  hourUtc: 2,
  flows: [
    { table: 'journal_entries', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'finance_landing.erp.journal', inputs: ['finance_landing.erp.journal'], language: 'SQL', rows: 8_000_000, rowBytes: 260, at: [0, 0.5], backlogBytes: 2 * GB, fileBytes: 100 * MB },
    { table: 'ledger_balances', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'finance.ledger.journal_entries', inputs: ['finance.ledger.journal_entries'], language: 'SQL', rows: 1_200_000, rowBytes: 180, at: [0.05, 0.95], backlogBytes: 1.9 * GB, fileBytes: 100 * MB },
    { table: 'trial_balance', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['finance.ledger.ledger_balances'], language: 'SQL', rows: 9_000, rowBytes: 120, at: [0.95, 0.995], planning: 'incremental' },
  ],
  recent: {},
  latest: { durationFactor: 2.2, cpu: 38, wait: 24, util: 0.5, cpuRatio: 0.35, netMB: 330 },
};
