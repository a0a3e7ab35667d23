import { describe, expect, it } from 'vitest';
import type { AutoLoaderListing, BacklogSample, Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/small-files.js';
import { T0, fakeEvidence, fakeFlow } from '../../support/fake-evidence.js';

const backlog = (files: number | null, bytes: number | null): BacklogSample[] => [
  { t: T0 + 3 * 60_000, bytes: bytes === null ? null : bytes / 2, records: null, files: files === null ? null : files / 2, seconds: null },
  { t: T0 + 4 * 60_000, bytes, records: null, files, seconds: null },
];
const listing = (files: number, ms: number): AutoLoaderListing => ({ t: T0 + 3 * 60_000, durationMs: ms, numFilesListed: files, sourcePath: 's3://landing/orders/' });

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (no backlog)', evidence: fakeEvidence() },
  { name: 'no flows', evidence: fakeEvidence({ flows: [] }) },
  { name: 'many files of 64 MB', evidence: fakeEvidence({ flows: [fakeFlow({ backlog: backlog(50_000, 50_000 * 64 * 1024 * 1024) })] }) },
  { name: 'small files but only 5,000', evidence: fakeEvidence({ flows: [fakeFlow({ backlog: backlog(5_000, 5_000 * 20 * 1024) })] }) },
  { name: 'file count without bytes (Kafka-like source)', evidence: fakeEvidence({ flows: [fakeFlow({ backlog: backlog(50_000, null) })] }) },
  { name: 'big but fast listing', evidence: fakeEvidence({ autoLoader: [listing(200_000, 10_000)] }) },
];

describe('small-files', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('invalid: Delta source backlog of 40,000 files of 200 KB', () => {
    const results = rule.run(fakeEvidence({ flows: [fakeFlow({ backlog: backlog(40_000, 40_000 * 200 * 1024) })] }));
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('smallFiles');
    expect(r.severity ?? rule.meta.severity).toBe('warning');
    expect(r.data).toEqual({ flow: 'main.sales.orders_silver', files: 40_000, avgKb: 200 });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'main.sales.orders_silver average backlog file size', value: 200 * 1024, threshold: 1024 * 1024, source: 'event_log:flow_progress' }));
    // the fix builders pick between the spark_conf switches and predictive optimization (Unity Catalog)
    expect(r.fixes).toEqual([{ id: 'optimize-write' }, { id: 'auto-compact' }, { id: 'predictive-optimization' }]);
    expect(r.strength).toBeGreaterThanOrEqual(0.5);
    expect(r.strength).toBeLessThanOrEqual(1);
  });

  it('invalid: Auto Loader source with small files asks for Auto Loader settings', () => {
    const flow = fakeFlow({ name: 'orders_bronze', explainText: 'StreamingRelation cloudFiles, [value#1]', backlog: backlog(120_000, 120_000 * 30 * 1024) });
    const results = rule.run(fakeEvidence({ flows: [flow], autoLoader: [listing(120_000, 90_000)] }));
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('smallFiles');
    expect(r.data).toMatchObject({ flow: 'orders_bronze', files: 120_000, avgKb: 30 });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'Auto Loader listing duration', value: 90, source: 'event_log:operation_progress' }));
    expect(r.fixes).toEqual([
      { id: 'autoloader-max-files', params: { flow: 'orders_bronze' } },
      { id: 'autoloader-notifications', params: { flow: 'orders_bronze' } },
      { id: 'optimize-write' },
      { id: 'predictive-optimization' },
    ]);
  });

  it('listings that take a good part of the run make it listing-bound (§9.2), even without a file count', () => {
    // fakeUpdate runs 780 s: one 21-minute listing would be more than all of it; 4 listings of 90 s are 46%
    const results = rule.run(fakeEvidence({ autoLoader: [90_000, 90_000, 90_000, 90_000].map((ms) => ({ ...listing(0, ms), numFilesListed: null })) }));
    expect(results).toHaveLength(1);
    expect(results[0]!.messageId).toBe('listingBound');
    expect(results[0]!.severity).toBe('critical');
    expect(results[0]!.fixes).toEqual([{ id: 'autoloader-notifications' }]);
    // one short listing of a null count: below the 5-minute total
    expect(rule.run(fakeEvidence({ autoLoader: [{ ...listing(0, 90_000), numFilesListed: null }] }))[0]!.severity).toBe('info');
  });

  it('invalid: slow listing of 200,000 files without sizes is info', () => {
    const results = rule.run(fakeEvidence({ autoLoader: [listing(200_000, 150_000)] }));
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('slowListing');
    expect(r.severity).toBe('info');
    expect(r.data).toMatchObject({ files: '200,000 files', seconds: 150, worst: '200,000 files in 2m 30s' });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'Auto Loader files listed', value: 200_000, threshold: 10_000 }));
    expect(r.fixes).toEqual([{ id: 'autoloader-notifications' }]);
  });
});
