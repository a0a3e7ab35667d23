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
  recent: { waitS: 900, cpu: 61 },
};

export const parcelGeocoding: ScenarioDef = {
  name: 'parcel_geocoding',
  scenario: 'init-scripts',
  expected: 'startup',
  summary: 'Three flows, but ~17 minutes of INITIALIZING every update: two init scripts (GDAL, PROJ data) and Maven/wheel libraries install on every node before any flow starts.',
  catalog: 'main',
  schema: 'geo',
  owner: 'lucas@example.com',
  photon: true,
  cluster: {
    nodeType: 'i3.2xlarge',
    autoscale: { min: 2, max: 6, mode: 'ENHANCED' },
    initScripts: [{ workspace: { destination: '/Shared/init/install-gdal.sh' } }, { volumes: { destination: '/Volumes/main/geo/init/install-proj-data.sh' } }],
  },
  libraries: [
    { maven: { coordinates: 'org.apache.sedona:sedona-spark-shaded-3.5_2.12:1.6.1' } },
    { maven: { coordinates: 'org.datasyslab:geotools-wrapper:1.6.1-28.2' } },
    { whl: '/Volumes/main/geo/libs/geo_utils-2.3.0-py3-none-any.whl' },
  ],
  shape: 'nested',
  durationS: 1920,
  hourUtc: 3,
  flows: [
    { table: 'parcels_raw', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-geo/county-parcels/', inputs: ['s3://acme-geo/county-parcels/'], language: 'PYTHON', rows: 1_900_000, rowBytes: 900, at: [0, 0.45], backlogBytes: 1.7 * GB, fileBytes: 128 * MB },
    { table: 'parcels_geocoded', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.geo.parcels_raw', inputs: ['main.geo.parcels_raw'], language: 'PYTHON', rows: 1_880_000, rowBytes: 1_100, at: [0.05, 0.9], backlogBytes: 1.6 * GB, fileBytes: 110 * MB },
    { table: 'parcels_by_county', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.geo.parcels_geocoded'], language: 'SQL', rows: 3_100, rowBytes: 180, at: [0.9, 0.99], planning: 'incremental' },
  ],
  // the init scripts and libraries run at every start, so every update has them
  base: { initS: 1020, initBusy: { cpu: 62, netMB: 900, wait: 9 } },
  recent: { cpu: 70, mem: 64 },
};
