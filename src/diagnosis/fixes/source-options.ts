/**
 * The rate-limit and discovery options of each streaming source, with the documentation that
 * names them — what the streaming fixes (streaming.ts) may put in `change.key`, and what the
 * settings catalog (settings-catalog.ts) checks source-option keys against. A source's fix never
 * uses another source's option: a Delta stream has no `cloudFiles.*`, Kafka no `maxFetchRate`.
 */
import type { StreamSource } from '../rules/stream-source.js';

export type OptionSource = Extract<StreamSource, 'autoloader' | 'delta' | 'kafka' | 'kinesis'>;

export interface SourceOptions {
  /** how the source is called in fix text */
  label: string;
  /** Databricks documentation listing these options */
  doc: string;
  /** option name → what it does and its documented default */
  options: Readonly<Record<string, string>>;
  /**
   * The SQL form of an option, when it is documented: the named argument of the source's
   * table-valued function in a streaming table (`FROM STREAM read_files(…)`), else null.
   */
  sql: ((key: string, value: string) => string) | null;
}

const quoteSql = (value: string): string => (/^\d+$/.test(value) ? value : `'${value}'`);

export const SOURCE_OPTIONS: Readonly<Record<OptionSource, SourceOptions>> = {
  autoloader: {
    label: 'Auto Loader',
    // https://docs.databricks.com/aws/en/ingestion/cloud-object-storage/auto-loader/options (common Auto Loader options; guide §9.1–9.3)
    doc: 'https://docs.databricks.com/aws/en/ingestion/cloud-object-storage/auto-loader/options',
    options: {
      'cloudFiles.maxFilesPerTrigger': 'new files per micro-batch (default 1000)',
      'cloudFiles.maxBytesPerTrigger': 'soft cap on bytes per micro-batch (no default); with maxFilesPerTrigger, whichever limit is reached first',
      'cloudFiles.useNotifications': 'file notification mode instead of directory listing (default false)',
      'cloudFiles.useIncrementalListing': 'incremental directory listing (auto, true, false)',
      'cloudFiles.maxFileAge': 'how long a file event is tracked for deduplication',
    },
    // read_files, the SQL form of Auto Loader in a streaming table, takes the streaming options by
    // their plain names (`maxFilesPerTrigger => 1000`, `maxBytesPerTrigger => '1g'`):
    // https://docs.databricks.com/aws/en/sql/language-manual/functions/read_files (streaming options)
    sql: (key, value) => {
      const plain = key.replace(/^cloudFiles\./, '');
      return plain === 'maxFilesPerTrigger' || plain === 'maxBytesPerTrigger' ? `FROM STREAM read_files('<path>', ${plain} => ${quoteSql(value)})` : '';
    },
  },
  delta: {
    label: 'Delta',
    // https://docs.databricks.com/aws/en/structured-streaming/delta-lake ("Limit input rate");
    // Delta's DeltaSource.AdmissionLimits: with only maxBytesPerTrigger set, the 1000-file default no longer applies.
    doc: 'https://docs.databricks.com/aws/en/structured-streaming/delta-lake',
    options: {
      maxFilesPerTrigger: 'new files per micro-batch (default 1000)',
      maxBytesPerTrigger: 'soft cap on bytes per micro-batch (no default); with maxFilesPerTrigger, whichever limit is reached first',
      skipChangeCommits: 'ignore commits that update or delete rows of the source',
    },
    sql: null,
  },
  kafka: {
    label: 'Kafka',
    // https://docs.databricks.com/aws/en/connect/streaming/kafka (and Spark's Structured Streaming + Kafka guide); guide §5.2
    doc: 'https://docs.databricks.com/aws/en/connect/streaming/kafka',
    options: {
      maxOffsetsPerTrigger: 'offsets (records) per micro-batch across all partitions (no limit by default; §5.2 uses 10000 / 1000000)',
      minPartitions: 'Spark partitions to read Kafka with (default: one per Kafka partition)',
    },
    // read_kafka takes its options as named arguments (`maxOffsetsPerTrigger => …`):
    // https://docs.databricks.com/aws/en/sql/language-manual/functions/read_kafka
    sql: (key, value) => `FROM STREAM read_kafka(bootstrapServers => '<servers>', subscribe => '<topic>', ${key} => ${quoteSql(value)})`,
  },
  kinesis: {
    label: 'Kinesis',
    // Databricks' Kinesis connector options: https://docs.databricks.com/aws/en/connect/streaming/kinesis
    // and https://docs.databricks.com/aws/en/structured-streaming/kinesis-best-practices ("Optimize
    // prefetching"; a shard serves 2 MB/s of reads, shared by the consumers that poll it).
    doc: 'https://docs.databricks.com/aws/en/connect/streaming/kinesis',
    options: {
      maxFetchRate: 'prefetch rate per shard in MB/s (default 1.0, at most 2.0: what a shard serves)',
      minFetchPeriod: 'wait between prefetch attempts (default 400ms, at least 200ms: Kinesis allows 5 reads per shard per second)',
      maxRecordsPerFetch: 'records per GetRecords call (default 10,000)',
      maxFetchDuration: 'how long a prefetch runs per Spark task (default 10s)',
      fetchBufferSize: 'data buffered for the next trigger (default 20gb)',
      shardsPerTask: 'Kinesis shards read in parallel per Spark task (default 5)',
      shardFetchInterval: 'how often to poll Kinesis for resharding (default 1s)',
      consumerMode: 'polling (default) or efo (enhanced fan-out: a dedicated 2 MB/s per shard)',
    },
    sql: null,
  },
};

/** `.option("key", "value")`: the line to paste into the flow's `spark.readStream` chain (Python). */
export function pythonOption(key: string, value: string): string {
  return `.option("${key}", "${value}")`;
}

/** The SQL form of an option for a source, or null when none is documented. */
export function sqlOption(source: OptionSource, key: string, value: string): string | null {
  const s = SOURCE_OPTIONS[source].sql?.(key, value);
  return s ? s : null;
}

/** " Paste into the reader: `.option(…)` (Python) or `FROM STREAM read_…(…)` (SQL)." */
export function pasteLine(source: OptionSource, key: string, value: string): string {
  const sql = sqlOption(source, key, value);
  return ` In the flow's reader: \`${pythonOption(key, value)}\` (Python)${sql ? ` or \`${sql}\` (SQL)` : ''}.`;
}

/** Whether `key` is an option of `source`. */
export function isSourceOption(source: OptionSource, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(SOURCE_OPTIONS[source].options, key);
}
