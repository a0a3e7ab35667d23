/**
 * Streaming fixes (src/diagnosis/fixes/streaming.ts): each source gets its own rate-limit option,
 * never another source's, and the text shows the exact `.option("…", "…")` line to paste.
 */
import { describe, expect, it } from 'vitest';
import { FIXES } from '../../../src/diagnosis/fixes/streaming.js';
import { isSourceOption, SOURCE_OPTIONS, type OptionSource } from '../../../src/diagnosis/fixes/source-options.js';
import type { FixDefinition, FixProposal } from '../../../src/diagnosis/types.js';
import { diagnose } from '../../../src/diagnosis/diagnose.js';
import { fakeEvidence, fakeFlow } from '../../support/fake-evidence.js';

function fix(id: string): FixDefinition {
  const f = FIXES.find((x) => x.id === id);
  if (!f) throw new Error(`no fix ${id}`);
  return f;
}
const trigger = (source?: string): FixProposal | null => fix('streaming-trigger').build(fakeEvidence(), { flow: 'main.sales.orders_bronze', ...(source ? { source } : {}) });

/** every option key of the other sources (an option two sources share, like Delta's and read_files' plain names, is not "another source's") */
function othersOptions(source: OptionSource): string[] {
  const own = new Set(Object.keys(SOURCE_OPTIONS[source].options));
  return (Object.keys(SOURCE_OPTIONS) as OptionSource[]).filter((s) => s !== source).flatMap((s) => Object.keys(SOURCE_OPTIONS[s].options)).filter((k) => !own.has(k));
}

describe('streaming fix catalog', () => {
  it('holds the Auto Loader and trigger fixes', () => {
    expect(FIXES.map((f) => f.id).sort()).toEqual(['autoloader-max-bytes', 'autoloader-max-files', 'autoloader-notifications', 'streaming-trigger']);
  });

  describe.each([
    { source: 'delta' as const, key: 'maxBytesPerTrigger', value: '10g', paste: '.option("maxBytesPerTrigger", "10g")', sql: null },
    { source: 'kafka' as const, key: 'maxOffsetsPerTrigger', value: '1000000', paste: '.option("maxOffsetsPerTrigger", "1000000")', sql: 'maxOffsetsPerTrigger => 1000000' },
    { source: 'kinesis' as const, key: 'maxFetchRate', value: '2.0', paste: '.option("maxFetchRate", "2.0")', sql: null },
  ])('streaming-trigger on a $source source', ({ source, key, value, paste, sql }) => {
    const p = trigger(source)!;
    it(`changes ${key} = ${value}, an option of ${source}`, () => {
      expect(p.change).toEqual({ target: 'code', key, value });
      expect(isSourceOption(source, p.change!.key)).toBe(true);
    });
    it('shows the line to paste (and the SQL form where documented)', () => {
      expect(p.why).toContain(paste);
      if (sql) expect(p.why).toContain(sql);
      else expect(p.why).not.toMatch(/\(SQL\)/);
    });
    it("never names another source's option", () => {
      for (const other of othersOptions(source)) expect(p.why, other).not.toContain(`"${other}"`);
      expect(p.why).not.toContain('"cloudFiles.');
    });
  });

  it('a Delta source says what caps its batch (maxFilesPerTrigger), with its own option name', () => {
    const p = trigger('delta')!;
    expect(p.why).toContain('.option("maxFilesPerTrigger", "10000")');
    expect(p.why).toContain('not Auto Loader\'s cloudFiles.* options');
  });

  it('Kinesis names the other prefetch limits and the shared 2 MB/s per shard', () => {
    const p = trigger('kinesis')!;
    expect(p.why).toMatch(/minFetchPeriod \(default 400ms/);
    expect(p.why).toMatch(/maxRecordsPerFetch \(default 10,000\)/);
    expect(p.risk).toMatch(/consumerMode efo/);
  });

  it('a records-only source (Kafka or Kinesis, the event log does not say) gets no single change, both options named', () => {
    const p = trigger('records')!;
    expect(p.change).toBeNull();
    expect(p.why).toContain('.option("maxOffsetsPerTrigger", "1000000")');
    expect(p.why).toContain('.option("maxFetchRate", "2.0")');
    expect(p.why).not.toContain('cloudFiles');
  });

  it('an unknown source: no change, each source\'s option named', () => {
    const p = trigger()!;
    expect(p.change).toBeNull();
    expect(p.why).toMatch(/maxOffsetsPerTrigger.*maxBytesPerTrigger.*maxFetchRate.*cloudFiles\.maxBytesPerTrigger/);
    expect(trigger('pulsar')!.change).toBeNull();
  });

  it('Auto Loader takes its own fixes, not the generic trigger', () => {
    expect(trigger('autoloader')).toBeNull();
  });

  describe('Auto Loader fixes', () => {
    it('autoloader-max-bytes: §9.1 10g, Python and read_files forms', () => {
      const p = fix('autoloader-max-bytes').build(fakeEvidence(), { flow: 'b' })!;
      expect(p.change).toEqual({ target: 'code', key: 'cloudFiles.maxBytesPerTrigger', value: '10g' });
      expect(p.why).toContain('.option("cloudFiles.maxBytesPerTrigger", "10g")');
      expect(p.why).toContain("FROM STREAM read_files('<path>', maxBytesPerTrigger => '10g')");
    });
    it('autoloader-max-files: §9.3 10000', () => {
      const p = fix('autoloader-max-files').build(fakeEvidence(), {})!;
      expect(p.change).toEqual({ target: 'code', key: 'cloudFiles.maxFilesPerTrigger', value: '10000' });
      expect(p.why).toContain('.option("cloudFiles.maxFilesPerTrigger", "10000")');
      expect(p.why).toContain("read_files('<path>', maxFilesPerTrigger => 10000)");
    });
    it('autoloader-notifications: §9.2', () => {
      const p = fix('autoloader-notifications').build(fakeEvidence(), {})!;
      expect(p.change).toEqual({ target: 'code', key: 'cloudFiles.useNotifications', value: 'true' });
      expect(p.why).toContain('.option("cloudFiles.useNotifications", "true")');
    });
    it('every Auto Loader key is an Auto Loader option', () => {
      for (const id of ['autoloader-max-bytes', 'autoloader-max-files', 'autoloader-notifications']) {
        expect(isSourceOption('autoloader', fix(id).build(fakeEvidence(), {})!.change!.key), id).toBe(true);
      }
    });
  });
});

describe('through the whole diagnosis: each source its own options', () => {
  const MIN = 60_000;
  const T = Date.parse('2026-11-20T06:03:00Z');
  const growing = (metric: 'records' | 'files' | 'bytes', values: number[]) =>
    values.map((v, i) => ({ t: T + i * 2 * MIN, bytes: null, records: null, files: null, seconds: null, [metric]: v }));
  const values = [1000, 1200, 1500, 1400, 1900, 2300, 2600, 3100, 3600];
  const keysFor = (flow: Parameters<typeof fakeFlow>[0]) =>
    diagnose(fakeEvidence({ spec: { continuous: true }, flows: [fakeFlow({ name: 'main.raw.events', outputDataset: 'main.raw.events', flowType: 'APPEND', inputDatasets: [], ...flow })] }))
      .recommendations.filter((r) => r.change?.target === 'code')
      .map((r) => r.change!.key);

  it('a Kinesis stream gets maxFetchRate and nothing of Kafka, Delta or Auto Loader', () => {
    const keys = keysFor({ explainText: 'StreamingRelation kinesis, [data#2]', backlog: growing('records', values) });
    expect(keys).toContain('maxFetchRate');
    expect(keys.filter((k) => k !== 'maxFetchRate')).toEqual([]);
  });

  it('a Delta stream with a files backlog never gets cloudFiles.*', () => {
    const keys = keysFor({ inputDatasets: ['main.raw.readings'], explainText: 'StreamingRelation delta, [v#1], DeltaSource[main.raw.readings]', backlog: growing('files', values) });
    expect(keys).toContain('maxBytesPerTrigger');
    expect(keys.some((k) => k.startsWith('cloudFiles.'))).toBe(false);
  });

  it('a Kafka stream gets maxOffsetsPerTrigger only', () => {
    expect(keysFor({ explainText: 'MicroBatchScan[key#1] class org.apache.spark.sql.kafka010.KafkaSourceProvider$KafkaScan', backlog: growing('records', values) })).toEqual(['maxOffsetsPerTrigger']);
  });

  it('an Auto Loader stream gets cloudFiles.* only', () => {
    const keys = keysFor({ explainText: 'StreamingRelation cloudFiles, [value#1]', backlog: growing('files', values) });
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k).toMatch(/^cloudFiles\./);
  });
});
