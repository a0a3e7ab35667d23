/** The line every surface's pipeline list ends with: where the update states came from (issue 16 item 3). */
import type { PipelineSummary } from '../src/source.js';

const WORDS: Record<NonNullable<PipelineSummary['updatesSource']>, string> = {
  update_timeline: 'Update states: system.lakeflow.pipeline_update_timeline (one statement for all pipelines).',
  rest_no_timeline: 'Update states: the Pipelines REST API\'s latest updates, without durations or baselines (system.lakeflow.pipeline_update_timeline is not readable: grant SELECT on it to read them for all pipelines in one statement).',
  rest: 'Update states: the Pipelines REST API (no SQL warehouse configured).',
};

export function updatesSourceLine(pipelines: readonly PipelineSummary[]): string | null {
  const source = pipelines.find((p) => p.updatesSource)?.updatesSource;
  return source ? WORDS[source] : null;
}

/**
 * Said only when the list could not look for streams falling behind (the pipeline events system
 * table is not readable): a list without a "falling behind" must not read as "no stream is behind".
 */
export function backlogSourceLine(pipelines: readonly PipelineSummary[]): string | null {
  const source = pipelines.find((p) => p.backlogSource)?.backlogSource;
  if (source === 'unavailable') return 'Backlogs not read: the pipeline events system table (system.lakeflow.pipeline_events) is not readable, so streams falling behind are not flagged here; `why-slow` still reads each one.';
  return null;
}
