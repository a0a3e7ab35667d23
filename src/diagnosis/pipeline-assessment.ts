/**
 * The bot's own word on each pipeline of the list (issue 17 item 2), beside Databricks' `health`
 * (which only says whether the pipeline itself is in an error state): did its last update fail, is
 * a stream falling behind (fleet-backlog.ts, the growing-backlog rule's defaults, guide §5.2), did
 * it take longer than its baseline by the alert threshold (the median of its last completed updates,
 * as the duration-regression alert compares; a running update by its elapsed time so far), is an
 * alert thread open on it. Pure: the surfaces sort and render what it returns.
 */
import type { BacklogFlag } from '../databricks/fleet-backlog.js';
import type { PipelineSummary } from '../source.js';
import { DEFAULT_THRESHOLDS, type IncidentKind, type LastVerdict } from '../store/alerts.js';

export type AssessmentStatus = 'failed' | 'falling_behind' | 'regressed' | 'alert_open' | 'unhealthy' | 'ok' | 'no_updates';

/** worst first: the order the list is sorted in */
export const STATUS_ORDER: readonly AssessmentStatus[] = ['failed', 'falling_behind', 'regressed', 'alert_open', 'unhealthy', 'ok', 'no_updates'];

export interface PipelineAssessment {
  /** the worst of what is true of it */
  status: AssessmentStatus;
  /** last (or, while running, elapsed) duration ÷ baseline median, when at least the threshold */
  regression: { ratio: number; running: boolean; threshold: number } | null;
  /** a flow of its latest update whose backlog kept growing */
  backlog: BacklogFlag | null;
  /** alert threads open on it (any channel) */
  openIncidents: { kind: IncidentKind; updateId: string; openedAt: number }[];
  /**
   * the verdict of the bot's latest diagnosis of it (chat surfaces), and whether that diagnosis was
   * of its latest update (`current`) or of an older one; null when it was never diagnosed here
   */
  lastVerdict: (Omit<LastVerdict, 'pipelineId'> & { current: boolean }) | null;
}

export interface AssessInput {
  now: number;
  /** per pipeline id: open alert incidents (chat surfaces; empty in the CLI, which has no store) */
  incidents?: ReadonlyMap<string, PipelineAssessment['openIncidents']>;
  /** per pipeline id: the verdict of its latest diagnosis (chat surfaces' store) */
  verdicts?: ReadonlyMap<string, LastVerdict>;
  /** the regression ratio that counts (the alert's default, 1.5×) */
  regressionThreshold?: number;
}

export function assessPipeline(p: PipelineSummary, input: AssessInput): PipelineAssessment {
  const threshold = input.regressionThreshold ?? DEFAULT_THRESHOLDS.regression;
  const last = p.lastUpdate;
  const openIncidents = input.incidents?.get(p.id) ?? [];
  let regression: PipelineAssessment['regression'] = null;
  if (last && p.baselineMedianS && p.baselineMedianS > 0) {
    const running = last.durationS === null && !TERMINAL.has(last.state) && last.startedAt > 0;
    const seconds = last.durationS ?? (running ? (input.now - last.startedAt) / 1000 : null);
    if (seconds !== null && seconds / p.baselineMedianS >= threshold) regression = { ratio: seconds / p.baselineMedianS, running, threshold };
  }
  // a backlog flag of an update before the last one is old news
  const backlog = p.backlog && (!last || p.backlog.updateId === last.id) ? p.backlog : null;
  const status: AssessmentStatus =
    last?.state === 'FAILED'
      ? 'failed'
      : backlog
        ? 'falling_behind'
        : regression
          ? 'regressed'
          : openIncidents.length > 0
            ? 'alert_open'
            : p.health === 'UNHEALTHY'
              ? 'unhealthy'
              : last
                ? 'ok'
                : 'no_updates';
  const v = input.verdicts?.get(p.id);
  const lastVerdict = v ? { bottleneck: v.bottleneck, confidence: v.confidence, updateId: v.updateId, at: v.at, current: !last || last.id === v.updateId } : null;
  return { status, regression, backlog, openIncidents, lastVerdict };
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

/** worst first; among equals the larger regression, then by name */
export function worstFirst(a: PipelineSummary, b: PipelineSummary): number {
  const ra = STATUS_ORDER.indexOf(a.assessment?.status ?? 'ok');
  const rb = STATUS_ORDER.indexOf(b.assessment?.status ?? 'ok');
  if (ra !== rb) return ra - rb;
  const ga = a.assessment?.regression?.ratio ?? 0;
  const gb = b.assessment?.regression?.ratio ?? 0;
  if (ga !== gb) return gb - ga;
  return a.name.localeCompare(b.name);
}
