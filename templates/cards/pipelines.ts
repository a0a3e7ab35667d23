/** Adaptive Card for `pipelines [filter]`: one row per pipeline with health, last update and baseline. */
import type { Reply } from '../../commands/types.js';
import type { PipelineSummary } from '../../src/source.js';
import { duration } from '../blocks/format.js';
import { card, heading, md, subtle, text } from './format.js';
import type { AdaptiveCard, CardElement, TextColor } from './types.js';

export type PipelinesReply = Extract<Reply, { kind: 'pipelines' }>;

/** Teams shows long cards poorly and caps a message at ~28 KB: list at most this many. */
export const MAX_PIPELINE_ROWS = 50;

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

export function toAdaptiveCard(reply: PipelinesReply): AdaptiveCard {
  const title = reply.filter ? `Pipelines matching "${reply.filter}" (${reply.pipelines.length})` : `Pipelines (${reply.pipelines.length})`;
  const body: CardElement[] = [heading(title)];
  if (!reply.pipelines.length) body.push(text(reply.filter ? `No pipeline matches "${md(reply.filter)}".` : 'No pipelines found in this workspace.'));
  for (const p of reply.pipelines.slice(0, MAX_PIPELINE_ROWS)) {
    const h = health(p);
    body.push({
      type: 'ColumnSet',
      separator: true,
      columns: [
        { type: 'Column', width: 'stretch', items: [text(`**${md(p.name)}**`), subtle(detail(p))] },
        { type: 'Column', width: 'auto', verticalContentAlignment: 'center', items: [text(h.label, { color: h.color, weight: 'bolder' })] },
      ],
    });
  }
  if (reply.pipelines.length > MAX_PIPELINE_ROWS) body.push(subtle(`…and ${reply.pipelines.length - MAX_PIPELINE_ROWS} more: narrow with \`dlt pipelines <filter>\`.`));
  if (reply.pipelines.length) body.push(subtle('Diagnose one with `dlt why-slow <pipeline>`'));
  const fallback = [title, ...reply.pipelines.map((p) => `${p.name} (${p.id}): ${p.lastUpdate ? `${p.lastUpdate.state} ${duration(p.lastUpdate.durationS)}` : 'no update'}`)].join('\n');
  return card(body, fallback);
}
