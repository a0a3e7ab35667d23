/**
 * What a streaming flow reads, from what the event log shows (shared by growing-backlog and
 * small-files). Delta sources report `backlog_files` and `backlog_bytes` too (event log schema,
 * FlowMetrics), so backlog_files alone does not mean Auto Loader:
 * - Auto Loader: the plan reads `cloudFiles`, or the flow reads no dataset (a path) while the
 *   update logged Auto Loader listings or the flow reports backlog_files;
 * - Delta: the plan shows a Delta streaming source, or the flow reads a table (input_datasets);
 * - Kafka (and other record-offset sources): the plan says kafka, or only backlog_records is reported.
 */
import type { Evidence, FlowInfo } from '../evidence.js';

export type StreamSource = 'autoloader' | 'delta' | 'kafka' | 'unknown';

export function streamSource(flow: FlowInfo, evidence: Evidence): StreamSource {
  const plan = flow.explainText ?? '';
  if (/cloudfiles/i.test(plan)) return 'autoloader';
  if (/kafka/i.test(plan)) return 'kafka';
  if (/DeltaSource|StreamingRelation\s+delta|\bdelta\b/i.test(plan)) return 'delta';
  if (flow.inputDatasets.length > 0) return 'delta';
  const files = flow.backlog.some((b) => b.files !== null);
  const records = flow.backlog.some((b) => b.records !== null);
  const definitionsKnown = !evidence.gaps.includes('flow_definitions') && flow.flowType !== null;
  if ((files || evidence.autoLoader.length > 0) && definitionsKnown) return 'autoloader';
  if (evidence.autoLoader.length > 0 && evidence.flows.length === 1) return 'autoloader';
  if (records && !files) return 'kafka';
  return 'unknown';
}
