/** Demo scenarios whose intended verdict is `backlog` (docs/demo-workspace.md). */
import type { ScenarioDef } from '../generate/model.js';
import { GB, MB } from '../generate/units.js';

export const telemetryStream: ScenarioDef = {
  name: 'telemetry_stream',
  scenario: 'growing-backlog',
  expected: 'backlog',
  summary: 'Continuous pipeline whose Kafka backlog grows from 2 GB to 40 GB in an hour.',
  catalog: 'main',
  schema: 'telemetry',
  owner: 'yuki@example.com',
  photon: true,
  continuous: true,
  cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 12, mode: 'ENHANCED' } },
  shape: 'nested',
  durationS: 0, // continuous: runs until the next update
  hourUtc: 6,
  flows: [
    { table: 'telemetry_raw', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'telemetry.metrics', inputs: ['kafka:telemetry.metrics'], language: 'PYTHON', rows: 50_000_000, rowBytes: 240, at: [0, 1], backlogBytes: 1.5 * GB },
    { table: 'telemetry_parsed', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.telemetry.telemetry_raw', inputs: ['main.telemetry.telemetry_raw'], language: 'PYTHON', rows: 49_000_000, rowBytes: 280, at: [0.01, 1], backlogBytes: 0.4 * GB, fileBytes: 64 * MB },
  ],
  recent: { cpu: 83, mem: 78 },
  latest: { backlog: [2 * GB, 40 * GB], state: 'CANCELED' },
};
