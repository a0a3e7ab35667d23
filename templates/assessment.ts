/**
 * The pipeline list's assessment in words, the same on every surface (issue 17 item 2): a short
 * label ("falling behind") and what it rests on ("main.telemetry.telemetry_raw backlog 4.2 GiB →
 * 35 GiB over 60 min"). Platform formatting (bold, colour, icons) stays with each renderer.
 */
import type { PipelineAssessment } from '../src/diagnosis/pipeline-assessment.js';
import type { PipelineSummary } from '../src/source.js';
import { formatBytes, formatDuration, formatNumber, formatRatio } from './format.js';
import { plural } from '../src/util/plural.js';
import { verdictLabel } from './blocks/diagnosis.js';

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
 * "last diagnosis: CPU-bound (84%)", ", of an older update" when the pipeline ran again since;
 * null when the bot never diagnosed it.
 */
export function lastVerdictText(p: PipelineSummary): string | null {
  const v = p.assessment?.lastVerdict;
  if (!v) return null;
  const confidence = v.bottleneck === 'none' ? '' : ` (${Math.round(v.confidence * 100)}%)`;
  return `last diagnosis: ${verdictLabel(v.bottleneck)}${confidence}${v.current ? '' : ', of an older update'}`;
}

/**
 * What the assessment rests on, worst first, then the last diagnosis' verdict. A renderer whose row
 * already shows the failed state or the duration against the baseline leaves those out (`failure` /
 * `regression` false), one that shows the verdict apart `verdict` false.
 */
export function assessmentReasons(p: PipelineSummary, o: { failure?: boolean; regression?: boolean; verdict?: boolean } = {}): string[] {
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
  const verdict = o.verdict === false ? null : lastVerdictText(p);
  if (verdict) out.push(verdict);
  return out;
}
