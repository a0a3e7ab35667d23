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
    // Kafka and Kinesis both report backlog_records: without a plan the source is not claimed
    { name: 'records only, no files', flow: bronze({ backlog: [sample({ records: 90_000 })] }), source: 'records' },
    // Kinesis, in the forms a plan shows it
    { name: 'a plan reading Kinesis (StreamingRelation)', flow: bronze({ explainText: 'StreamingRelation kinesis, [partitionKey#1, data#2, stream#3, shardId#4, sequenceNumber#5, approximateArrivalTimestamp#6]' }), source: 'kinesis' },
    { name: 'a plan with a KinesisSource node', flow: bronze({ explainText: '+- StreamingDataSourceV2ScanRelation[partitionKey#1, data#2] KinesisSource[clicks]' }), source: 'kinesis' },
    { name: 'a SQL flow reading read_kinesis', flow: bronze({ explainText: "SELECT * FROM STREAM read_kinesis(streamName => 'clicks')" }), source: 'kinesis' },
    { name: 'a Kinesis plan with a records backlog', flow: bronze({ explainText: 'StreamingRelation kinesis, [data#2]', backlog: [sample({ records: 90_000 })] }), source: 'kinesis' },
    { name: 'the Kafka forms of the corpus plans (KafkaTable, KafkaSourceProvider$KafkaScan)', flow: bronze({ explainText: 'StreamingDataSourceV2ScanRelation[key#12, value#13] KafkaTable(subscribe=orders)' }), source: 'kafka' },
    { name: 'a Kafka micro-batch scan', flow: bronze({ explainText: 'MicroBatchScan[key#1, value#2] class org.apache.spark.sql.kafka010.KafkaSourceProvider$KafkaScan' }), source: 'kafka' },
    { name: 'CloudFilesSource', flow: bronze({ explainText: 'StreamingDataSourceV2ScanRelation[value#1] CloudFilesSource[s3://landing/orders], format: json' }), source: 'autoloader' },
    // near-misses: a Delta table whose name mentions a stream system is still Delta
    { name: 'a DeltaSource over a table named kinesis_events (near-miss)', flow: bronze({ explainText: '+- StreamingRelation delta, [data#2], DeltaSource[main.raw.kinesis_events]' }), source: 'delta' },
    { name: 'a DeltaSource over a table named raw_kafka (near-miss)', flow: bronze({ explainText: 'StreamingRelation delta, [v#1], DeltaSource[main.raw.raw_kafka]' }), source: 'delta' },
    { name: 'a table input named kinesis_clicks, plain scan plan (near-miss)', flow: bronze({ inputDatasets: ['main.raw.kinesis_clicks'], explainText: 'FileScan parquet main.raw.kinesis_clicks[id#1]' }), source: 'delta' },
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
