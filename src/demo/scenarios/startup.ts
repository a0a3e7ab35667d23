/** Demo scenarios whose intended verdict is `startup` (docs/demo-workspace.md). */
import type { ScenarioDef } from '../generate/model.js';
import { GB, MB } from '../generate/units.js';

export const marketingDaily: ScenarioDef = {
    name: 'marketing_daily',
    scenario: 'slow-startup',
    expected: 'startup',
    summary: 'Waits 15 minutes for cluster resources (WAITING_FOR_RESOURCES) before doing any work.',
    catalog: 'main',
    schema: 'marketing',
    owner: 'kim@example.com',
    photon: true,
    cluster: { nodeType: 'm5d.2xlarge', autoscale: { min: 1, max: 6, mode: 'ENHANCED' } },
    shape: 'flat',
    durationS: 2100,
    hourUtc: 6,
    flows: [
      { table: 'campaign_touches', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-mkt/touches/', inputs: ['s3://acme-mkt/touches/'], language: 'SQL', rows: 2_400_000, rowBytes: 300, at: [0, 0.6], backlogBytes: 0.9 * GB, fileBytes: 90 * MB },
      { table: 'attribution_daily', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.marketing.campaign_touches'], language: 'SQL', rows: 85_000, rowBytes: 150, at: [0.6, 0.98], planning: 'incremental' },
    ],
    recent: { waitS: 900 },
  };
