/**
 * Fixes for streams that fall behind or read many small files, each in its source's own options
 * (source-options.ts): Auto Loader `cloudFiles.*` (guide §9.1–9.3), Delta `maxBytesPerTrigger` /
 * `maxFilesPerTrigger`, Kafka `maxOffsetsPerTrigger` (§5.2) and Kinesis `maxFetchRate` (Databricks'
 * Kinesis connector). The source comes from the rule (params.source, src/diagnosis/rules/
 * stream-source.ts); a source's fix never names another source's option. Every proposal shows the
 * exact `.option("…", "…")` line to paste, and the SQL form where one is documented.
 */
import type { FixDefinition, FixProposal } from '../types.js';
import { pasteLine, pythonOption, SOURCE_OPTIONS, type OptionSource } from './source-options.js';

type Params = Record<string, string | number | boolean>;

function forFlow(params: Params): string {
  return typeof params.flow === 'string' && params.flow !== '' ? ` for ${params.flow}` : '';
}

const THROUGHPUT = 'Higher throughput per micro-batch and less per-batch overhead, so the stream can catch up with its source.';
const BATCH_RISK = 'Higher latency per batch (§5.2 trade-off) and more memory per batch.';

/** The §5.2 batch-size change for one source: its option, value, reasoning and risk. */
function triggerFor(source: OptionSource | 'records' | 'unknown', params: Params): FixProposal | null {
  const flow = forFlow(params);
  switch (source) {
    case 'autoloader':
      // Auto Loader has its own fixes (autoloader-max-bytes / -max-files); nothing generic here
      return null;
    case 'delta':
      return {
        why:
          `The stream falls behind the Delta table it reads${flow}. §5.2: for high throughput, take larger batches; a Delta source sizes them with maxBytesPerTrigger / maxFilesPerTrigger (default 1000 files), not Auto Loader's cloudFiles.* options (${SOURCE_OPTIONS.delta.doc}). With only maxBytesPerTrigger set, the 1000-file default no longer caps the batch.` +
          pasteLine('delta', 'maxBytesPerTrigger', '10g') +
          ` If the reader sets maxFilesPerTrigger, raise it too (${pythonOption('maxFilesPerTrigger', '10000')}) or drop it: whichever limit is reached first applies.`,
        change: { target: 'code', key: 'maxBytesPerTrigger', value: '10g' },
        expected_effect: THROUGHPUT,
        risk: BATCH_RISK,
        impact: 0.4,
      };
    case 'kafka':
      return {
        why: `The stream falls behind its Kafka source${flow}. §5.2: for high throughput (minutes of latency), take larger batches: maxOffsetsPerTrigger 1000000 instead of the low-latency 10000.` + pasteLine('kafka', 'maxOffsetsPerTrigger', '1000000'),
        change: { target: 'code', key: 'maxOffsetsPerTrigger', value: '1000000' },
        expected_effect: THROUGHPUT,
        risk: `${BATCH_RISK} Only raise it: without maxOffsetsPerTrigger a batch already takes every available offset, and then more Spark partitions (minPartitions) or workers are the lever, not this option.`,
        impact: 0.4,
      };
    case 'kinesis':
      return {
        why:
          `The stream falls behind its Kinesis source${flow}. Databricks' Kinesis connector prefetches at most maxFetchRate MB/s per shard (default 1.0); a shard serves up to 2 MB/s of reads, so 2.0 is the most it can take (${SOURCE_OPTIONS.kinesis.doc}; "Optimize prefetching" in the Kinesis best practices). §5.2's trade-off applies: larger batches for throughput.` +
          pasteLine('kinesis', 'maxFetchRate', '2.0') +
          ` Other prefetch limits: minFetchPeriod (default 400ms, at least 200ms) and maxRecordsPerFetch (default 10,000).`,
        change: { target: 'code', key: 'maxFetchRate', value: '2.0' },
        expected_effect: 'Up to twice the records fetched per shard per second, so each micro-batch finds more data and the stream can catch up.',
        risk: 'In polling mode the 2 MB/s per shard is shared by every consumer of the stream: others may be throttled (ProvisionedThroughputExceededException). Enhanced fan-out (consumerMode efo) gives each consumer its own 2 MB/s per shard. If producers write more than the shards carry, add shards.',
        impact: 0.4,
      };
    case 'records':
      return {
        why: `The stream falls behind a record-offset source${flow} (the event log shows only backlog_records, not whether it is Kafka or Kinesis). §5.2: for high throughput, take larger batches with the source's own option — Kafka: \`${pythonOption('maxOffsetsPerTrigger', '1000000')}\`; Kinesis: \`${pythonOption('maxFetchRate', '2.0')}\` (MB/s per shard, default 1.0).`,
        change: null,
        expected_effect: THROUGHPUT,
        risk: `${BATCH_RISK} The option name depends on the source.`,
        impact: 0.4,
      };
    default:
      return {
        why: `The stream falls behind its source${flow}. §5.2: for high throughput (minutes of latency), take larger batches with the source's own rate option — Kafka \`${pythonOption('maxOffsetsPerTrigger', '1000000')}\`; Delta \`${pythonOption('maxBytesPerTrigger', '10g')}\` (or maxFilesPerTrigger); Kinesis \`${pythonOption('maxFetchRate', '2.0')}\`; Auto Loader \`${pythonOption('cloudFiles.maxBytesPerTrigger', '10g')}\`.`,
        change: null,
        expected_effect: THROUGHPUT,
        risk: `${BATCH_RISK} The option name depends on the source.`,
        impact: 0.4,
      };
  }
}

const SOURCES = new Set(['autoloader', 'delta', 'kafka', 'kinesis', 'records']);

export const FIXES: FixDefinition[] = [
  {
    id: 'autoloader-max-bytes',
    category: 'backlog',
    title: 'Raise Auto Loader bytes per trigger',
    guideSection: '9.1',
    build(_evidence, params) {
      return {
        why: `The stream falls behind its files${forFlow(params)}; §9.1's high-throughput Auto Loader configuration sets cloudFiles.maxBytesPerTrigger to 10g so each micro-batch takes more data.` + pasteLine('autoloader', 'cloudFiles.maxBytesPerTrigger', '10g'),
        change: { target: 'code', key: 'cloudFiles.maxBytesPerTrigger', value: '10g' },
        expected_effect: 'Fewer, larger micro-batches: less per-batch overhead, so more data is processed per minute and the backlog can shrink.',
        risk: 'Larger batches need more memory per batch and each takes longer (higher latency per batch). With cloudFiles.maxFilesPerTrigger also set, whichever limit is reached first applies.',
        impact: 0.45,
      };
    },
  },
  {
    id: 'autoloader-max-files',
    category: 'io',
    title: 'Raise Auto Loader files per trigger',
    guideSection: '9.3',
    build(_evidence, params) {
      return {
        why: 'For many small files, §9.3 sets cloudFiles.maxFilesPerTrigger to 10000 (with cloudFiles.maxBytesPerTrigger 50g).' + pasteLine('autoloader', 'cloudFiles.maxFilesPerTrigger', '10000'),
        change: { target: 'code', key: 'cloudFiles.maxFilesPerTrigger', value: '10000' },
        expected_effect: `Each micro-batch takes up to 10,000 files instead of Auto Loader's default 1,000: fewer, fuller batches${forFlow(params)}.`,
        risk: 'Bigger batches need more memory per batch; keep cloudFiles.maxBytesPerTrigger as a cap.',
        impact: 0.4,
      };
    },
  },
  {
    id: 'autoloader-notifications',
    category: 'io',
    title: 'Switch Auto Loader to file notifications',
    guideSection: '9.2, 9.3',
    build(_evidence, params) {
      return {
        why: `Directory listing gets slower as the directory grows; notification mode is recommended for large directories and production (§9.2). In the flow's reader: \`${pythonOption('cloudFiles.useNotifications', 'true')}\` (Python), with the queue (cloudFiles.queueUrl on AWS, cloudFiles.queueName on Azure) when Auto Loader should not create one.`,
        change: { target: 'code', key: 'cloudFiles.useNotifications', value: 'true' },
        expected_effect: `Lower file-discovery latency on large directories (§9.2)${forFlow(params)}.`,
        risk: 'Higher cost than listing (§9.2) and needs permission to create the queue (SQS/SNS on AWS, Event Grid and a storage queue on Azure).',
        impact: 0.5,
      };
    },
  },
  {
    id: 'streaming-trigger',
    category: 'backlog',
    title: 'Use larger streaming batches',
    guideSection: '5.2',
    build(_evidence, params) {
      const source = typeof params.source === 'string' && SOURCES.has(params.source) ? (params.source as OptionSource | 'records') : 'unknown';
      return triggerFor(source, params);
    },
  },
];
