/**
 * streamSource (src/diagnosis/rules/stream-source.ts): what a streaming flow reads, from what the
 * event log shows — shared by growing-backlog and small-files to pick the source's own options.
 */
import { describe, expect, it } from 'vitest';
import type { BacklogSample, FlowInfo } from '../../../src/diagnosis/evidence.js';
import { streamSource } from '../../../src/diagnosis/rules/stream-source.js';
import { T0, fakeEvidence, fakeFlow } from '../../support/fake-evidence.js';

const sample = (o: Partial<BacklogSample>): BacklogSample => ({ t: T0 + 180_000, bytes: null, records: null, files: null, seconds: null, ...o });
const bronze = (o: Partial<FlowInfo> = {}) => fakeFlow({ name: 'main.sales.orders_bronze', outputDataset: 'main.sales.orders_bronze', inputDatasets: [], flowType: 'APPEND', ...o });
const listing = { t: T0 + 180_000, durationMs: 4000, numFilesListed: 1200, sourcePath: 's3://landing/orders/' };

describe('streamSource', () => {
  it.each([
    { name: 'a plan reading cloudFiles', flow: bronze({ explainText: 'StreamingRelation cloudFiles, [value#1]', inputDatasets: ['x'] }), source: 'autoloader' },
    { name: 'a plan reading Kafka', flow: bronze({ explainText: 'StreamingRelation kafka, [key#1, value#2]' }), source: 'kafka' },
    { name: 'a plan with a Delta streaming source', flow: bronze({ explainText: '+- StreamingRelation delta, [order_id#1]' }), source: 'delta' },
    // Delta sources report backlog_files and backlog_bytes too: a table input means Delta
    { name: 'a flow reading a table, with a files backlog', flow: bronze({ inputDatasets: ['main.sales.orders_raw'], backlog: [sample({ files: 400, bytes: 4e9 })] }), source: 'delta' },
    { name: 'a path-reading flow with a files backlog', flow: bronze({ backlog: [sample({ files: 400, bytes: 4e9 })] }), source: 'autoloader' },
    { name: 'records only, no files', flow: bronze({ backlog: [sample({ records: 90_000 })] }), source: 'kafka' },
    { name: 'nothing to tell', flow: bronze(), source: 'unknown' },
  ])('$name → $source', ({ flow, source }) => {
    expect(streamSource(flow, fakeEvidence({ flows: [flow] }))).toBe(source);
  });

  it('Auto Loader listings in the update point at a path-reading flow', () => {
    const flow = bronze();
    expect(streamSource(flow, fakeEvidence({ flows: [flow], autoLoader: [listing] }))).toBe('autoloader');
  });

  it('without flow definitions a files backlog alone is not enough', () => {
    const flow = bronze({ flowType: null, backlog: [sample({ files: 400, bytes: 4e9 })] });
    expect(streamSource(flow, fakeEvidence({ flows: [flow, fakeFlow({ name: 'other' })], gaps: ['flow_definitions'] }))).toBe('unknown');
    // … unless the update logged Auto Loader listings and has this one flow
    expect(streamSource(flow, fakeEvidence({ flows: [flow], gaps: ['flow_definitions'], autoLoader: [listing] }))).toBe('autoloader');
  });
});
