/**
 * The pipeline list's assessment in words, the same on every surface (issue 17 item 2): a short
 * label ("falling behind") and what it rests on ("main.telemetry.telemetry_raw backlog 4.2 GiB →
 * 35 GiB over 60 min"). Platform formatting (bold, colour, icons) stays with each renderer.
 */
import type { PipelineAssessment } from '../src/diagnosis/pipeline-assessment.js';
import type { PipelineSummary } from '../src/source.js';
import { formatBytes, formatDuration, formatNumber, formatRatio } from './format.js';
import { plural } from '../src/util/plural.js';

export const STATUS_LABEL: Record<PipelineAssessment['status'], string> = {
  failed: 'failed',
  falling_behind: 'falling behind',
  regressed: 'slower',
  alert_open: 'alert open',
  unhealthy: 'unhealthy',
  ok: 'ok',
  no_updates: 'no updates',
};

function backlogValue(metric: string, v: number): string {
  if (metric === 'bytes') return formatBytes(v);
  if (metric === 'seconds') return formatDuration(v);
  return `${formatNumber(Math.round(v))} ${metric}`;
}

/**
 * What the assessment rests on, worst first. A renderer whose row already shows the failed state or
 * the duration against the baseline leaves those out (`failure` / `regression` false).
 */
export function assessmentReasons(p: PipelineSummary, o: { failure?: boolean; regression?: boolean } = {}): string[] {
  const a = p.assessment;
  if (!a) return [];
  const out: string[] = [];
  if (p.lastUpdate?.state === 'FAILED' && o.failure !== false) out.push('last update failed');
  if (a.backlog) {
    const b = a.backlog;
    out.push(`${b.flow} backlog ${backlogValue(b.metric, b.from)} → ${backlogValue(b.metric, b.to)} over ${formatDuration(b.minutes * 60)}`);
  }
  if (a.regression && o.regression !== false) {
    const r = a.regression;
    out.push(r.running ? `running ${formatRatio(r.ratio)} its baseline so far` : `${formatRatio(r.ratio)} its baseline (${formatDuration(p.baselineMedianS)})`);
  }
  if (a.openIncidents.length > 0) {
    const kinds = [...new Set(a.openIncidents.map((i) => i.kind))];
    out.push(`${plural(a.openIncidents.length, 'alert', 'alerts')} open (${kinds.join(', ')})`);
  }
  return out;
}
