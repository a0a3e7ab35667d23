/** Adaptive Card for `pipelines [filter]`: one row per pipeline with health, last update and baseline. */
import type { Reply } from '../../commands/types.js';
import type { PipelineSummary } from '../../src/source.js';
import { duration } from '../blocks/format.js';
import { card, clip, heading, line, MAX_FALLBACK, rt, subtleLine } from './format.js';
import type { AdaptiveCard, CardElement, TextColor } from './types.js';

export type PipelinesReply = Extract<Reply, { kind: 'pipelines' }>;

/** Teams shows long cards poorly and caps a message's size (format.ts): list at most this many. */
export const MAX_PIPELINE_ROWS = 50;
/** a pipeline name is at most this long on the card (Databricks allows long names) */
const MAX_NAME = 100;
/** the fallback names at most this many pipelines, then says how many more */
const FALLBACK_PIPELINES = 10;

function health(p: PipelineSummary): { label: string; color: TextColor } {
  if (p.lastUpdate?.state === 'FAILED') return { label: 'failed', color: 'attention' };
  if (p.health === 'UNHEALTHY') return { label: 'unhealthy', color: 'warning' };
  return { label: 'healthy', color: 'good' };
}

function detail(p: PipelineSummary): string {
  if (!p.lastUpdate) return `${p.id} · no update yet`;
  const vs = p.lastUpdate.durationS !== null && p.baselineMedianS ? ` (${(p.lastUpdate.durationS / p.baselineMedianS).toFixed(1)}× baseline ${duration(p.baselineMedianS)})` : '';
  return `${p.id} · last update ${p.lastUpdate.state}, ${duration(p.lastUpdate.durationS)}${vs}`;
}

/**
 * The fallback (notifications, clients without cards): the title and the first few pipelines, then
 * "…and N more"; never every pipeline, which is what once made a 650-pipeline message too big.
 */
export function pipelinesFallback(title: string, pipelines: readonly PipelineSummary[]): string {
  const lines = [title];
  for (const p of pipelines.slice(0, FALLBACK_PIPELINES)) {
    lines.push(`${clip(p.name, MAX_NAME)} (${p.id}): ${p.lastUpdate ? `${p.lastUpdate.state} ${duration(p.lastUpdate.durationS)}` : 'no update'}`);
  }
  if (pipelines.length > FALLBACK_PIPELINES) lines.push(`…and ${pipelines.length - FALLBACK_PIPELINES} more`);
  return clip(lines.join('\n'), MAX_FALLBACK);
}

export function toAdaptiveCard(reply: PipelinesReply): AdaptiveCard {
  const filter = reply.filter === null || reply.filter === undefined ? null : clip(reply.filter, MAX_NAME);
  const title = filter ? `Pipelines matching "${filter}" (${reply.pipelines.length})` : `Pipelines (${reply.pipelines.length})`;
  const body: CardElement[] = [heading(title)];
  if (!reply.pipelines.length) body.push(line(filter ? rt`No pipeline matches "${filter}".` : rt`No pipelines found in this workspace.`));
  for (const p of reply.pipelines.slice(0, MAX_PIPELINE_ROWS)) {
    const h = health(p);
    body.push({
      type: 'ColumnSet',
      separator: true,
      columns: [
        // names as TextRuns: Teams shows them as typed (no Markdown, so no `orders\_silver`)
        { type: 'Column', width: 'stretch', items: [line(rt`**${clip(p.name, MAX_NAME)}**`), subtleLine([detail(p)])] },
        { type: 'Column', width: 'auto', verticalContentAlignment: 'center', items: [line([h.label], { color: h.color, weight: 'bolder' })] },
      ],
    });
  }
  if (reply.pipelines.length > MAX_PIPELINE_ROWS) body.push(subtleLine(rt`…and ${reply.pipelines.length - MAX_PIPELINE_ROWS} more: narrow with \`dlt pipelines <filter>\`.`));
  if (reply.pipelines.length) body.push(subtleLine(rt`Diagnose one with \`dlt why-slow <pipeline>\``));
  return card(body, pipelinesFallback(title, reply.pipelines));
}
