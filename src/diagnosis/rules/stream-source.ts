/**
 * What a streaming flow reads, from what the event log shows (shared by growing-backlog and
 * small-files, and by the streaming fixes to pick the source's own rate-limit option). Delta sources
 * report `backlog_files` and `backlog_bytes` too (event log schema, FlowMetrics), so backlog_files
 * alone does not mean Auto Loader.
 *
 * The plan (flow_definition.explain_text) decides first, by the source operator it shows:
 * - Auto Loader: `cloudFiles` (`StreamingRelation cloudFiles`, `CloudFilesSource[…]`) or `read_files`;
 * - Kinesis: `StreamingRelation kinesis`, a `Kinesis…Source/Scan/Table` node, `read_kinesis`;
 * - Kafka: `StreamingRelation kafka`, `KafkaTable(…)`, `…kafka010.KafkaSourceProvider$KafkaScan`,
 *   `read_kafka`;
 * - Delta: `DeltaSource[…]`, `StreamingRelation delta`.
 * Only then a bare word (`kinesis`, `kafka`, `delta` as whole words — a table named
 * `kinesis_events` read through a DeltaSource is Delta). Without a telling plan:
 * - Delta: the flow reads a table of the pipeline (input_datasets);
 * - Auto Loader: the flow reads no dataset (a path) while the update logged Auto Loader listings or
 *   the flow reports backlog_files;
 * - `records`: only backlog_records — a record-offset source (Kafka or Kinesis, which one the event
 *   log does not say), so no single source's option is claimed.
 */
import type { Evidence, FlowInfo } from '../evidence.js';

export type StreamSource = 'autoloader' | 'delta' | 'kafka' | 'kinesis' | 'records' | 'unknown';

/** Source operators in a plan, most specific source first (a Kafka stream joined to a Delta table names both). */
const OPERATORS: readonly [StreamSource, RegExp][] = [
  ['autoloader', /\bStreamingRelation(?:V2)?\s+cloudFiles\b|CloudFilesSource|\bcloudFiles\b|\bread_files\s*\(/i],
  ['kinesis', /\bStreamingRelation(?:V2)?\s+kinesis\b|\bKinesis(?:V2)?(?:Source|SourceProvider|Table|Scan|MicroBatchStream)\b|\bread_kinesis\s*\(|\bformat\(\s*["']kinesis["']\s*\)/i],
  ['kafka', /\bStreamingRelation(?:V2)?\s+kafka\b|\bKafka(?:Source|SourceProvider|Table|Scan|MicroBatchStream|Relation)\b|\bkafka010\b|\bread_kafka\s*\(|\bformat\(\s*["']kafka["']\s*\)/i],
  ['delta', /\bDeltaSource\b|\bStreamingRelation(?:V2)?\s+delta\b/i],
];

/** Whole words, when no operator says it: `kinesis:stream`, `kafka, [key#1]`; never `raw_kinesis_events`. */
const WORDS: readonly [StreamSource, RegExp][] = [
  ['kinesis', /(?<![\w.])kinesis(?![\w])/i],
  ['kafka', /(?<![\w.])kafka(?![\w])/i],
  ['delta', /\bdelta\b/i],
];

/** The source a plan shows, or null when it names none. */
export function sourceFromPlan(plan: string | null): StreamSource | null {
  if (!plan) return null;
  for (const [source, re] of OPERATORS) if (re.test(plan)) return source;
  for (const [source, re] of WORDS) if (re.test(plan)) return source;
  return null;
}

export function streamSource(flow: FlowInfo, evidence: Evidence): StreamSource {
  const fromPlan = sourceFromPlan(flow.explainText);
  if (fromPlan) return fromPlan;
  if (flow.inputDatasets.length > 0) return 'delta';
  const files = flow.backlog.some((b) => b.files !== null);
  const records = flow.backlog.some((b) => b.records !== null);
  const definitionsKnown = !evidence.gaps.includes('flow_definitions') && flow.flowType !== null;
  if ((files || evidence.autoLoader.length > 0) && definitionsKnown) return 'autoloader';
  if (evidence.autoLoader.length > 0 && evidence.flows.length === 1) return 'autoloader';
  if (records && !files) return 'records';
  return 'unknown';
}
