/** Adaptive Card for `pipelines [filter]`: one row per pipeline, worst first, with the bot's assessment, last update and baseline. */
import { formatRatio } from '../format.js';
import type { Reply } from '../../commands/types.js';
import type { PipelineSummary } from '../../src/source.js';
import { duration } from '../blocks/format.js';
import { card, clip, fitsTeams, heading, line, MAX_FALLBACK, rt, subtleLine } from './format.js';
import type { AdaptiveCard, CardElement, TextColor } from './types.js';
import { assessmentReasons, STATUS_LABEL } from '../assessment.js';
import { backlogSourceLine, updatesSourceLine } from '../updates-source.js';

export type PipelinesReply = Extract<Reply, { kind: 'pipelines' }>;

/** Teams shows long cards poorly and caps a message's size (format.ts): list at most this many. */
export const MAX_PIPELINE_ROWS = 50;
/** a pipeline name is at most this long on the card (Databricks allows long names) */
const MAX_NAME = 100;
/** the fallback names at most this many pipelines, then says how many more */
const FALLBACK_PIPELINES = 10;

function health(p: PipelineSummary): { label: string; color: TextColor } {
  const status = p.assessment?.status;
  if (status) return { label: STATUS_LABEL[status], color: status === 'failed' ? 'attention' : status === 'ok' ? 'good' : status === 'no_updates' ? 'default' : 'warning' };
  if (p.lastUpdate?.state === 'FAILED') return { label: 'failed', color: 'attention' };
  if (p.health === 'UNHEALTHY') return { label: 'unhealthy', color: 'warning' };
  return { label: 'healthy', color: 'good' };
}

function detail(p: PipelineSummary): string {
  const why = assessmentReasons(p, { failure: false, regression: false });
  const reasons = why.length ? ` · ${why.join('; ')}` : '';
  const health = p.health ? ` · Databricks: ${p.health.toLowerCase()}` : '';
  if (!p.lastUpdate) return `${p.id} · no update yet${health}`;
  const vs = p.lastUpdate.durationS !== null && p.baselineMedianS ? ` (${formatRatio(p.lastUpdate.durationS / p.baselineMedianS)} baseline ${duration(p.baselineMedianS)})` : '';
  return `${p.id} · last update ${p.lastUpdate.state}, ${duration(p.lastUpdate.durationS)}${vs}${reasons}${health}`;
}

/**
 * The fallback (notifications, clients without cards): the title and the first few pipelines, then
 * "…and N more"; never every pipeline, which is what once made a 650-pipeline message too big.
 */
export function pipelinesFallback(title: string, pipelines: readonly PipelineSummary[]): string {
  const lines = [clip(title, 200)];
  let used = lines[0]!.length;
  let shown = 0;
  // room kept for the "…and N more" line, so the count is never what gets cut
  const reserve = 40;
  for (const p of pipelines.slice(0, FALLBACK_PIPELINES)) {
    const l = `${clip(p.name, MAX_NAME)} (${p.id}): ${p.assessment ? `${STATUS_LABEL[p.assessment.status]}, ` : ''}${p.lastUpdate ? `${p.lastUpdate.state} ${duration(p.lastUpdate.durationS)}` : 'no update'}`;
    if (used + 1 + l.length > MAX_FALLBACK - reserve) break;
    lines.push(l);
    used += 1 + l.length;
    shown++;
  }
  if (pipelines.length > shown) lines.push(`…and ${pipelines.length - shown} more`);
  return lines.join('\n');
}

export function toAdaptiveCard(reply: PipelinesReply): AdaptiveCard {
  const filter = reply.filter === null || reply.filter === undefined ? null : clip(reply.filter, MAX_NAME);
  const title = filter ? `Pipelines matching "${filter}" (${reply.pipelines.length})` : `Pipelines (${reply.pipelines.length})`;
  const fallback = pipelinesFallback(title, reply.pipelines);
  // up to MAX_PIPELINE_ROWS rows, fewer when long names would take the card over Teams' size
  // limit: the "…and N more" line stays, with the right N (fitCard would cut it off instead)
  let rows = Math.min(reply.pipelines.length, MAX_PIPELINE_ROWS);
  let c = build(reply, filter, title, fallback, rows);
  while (rows > 1 && !fitsTeams(c)) {
    rows = Math.max(1, Math.floor(rows * 0.8));
    c = build(reply, filter, title, fallback, rows);
  }
  return c;
}

function build(reply: PipelinesReply, filter: string | null, title: string, fallback: string, rows: number): AdaptiveCard {
  const body: CardElement[] = [heading(title)];
  if (!reply.pipelines.length) body.push(line(filter ? rt`No pipeline matches "${filter}".` : rt`No pipelines found in this workspace.`));
  for (const p of reply.pipelines.slice(0, rows)) {
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
  if (reply.pipelines.length > rows) body.push(subtleLine(rt`…and ${reply.pipelines.length - rows} more: narrow with \`dlt pipelines <filter>\`.`));
  if (reply.pipelines.length) body.push(subtleLine(rt`Diagnose one with \`dlt why-slow <pipeline>\``));
  const source = updatesSourceLine(reply.pipelines);
  if (source && reply.pipelines.length) body.push(subtleLine([source]));
  const backlog = backlogSourceLine(reply.pipelines);
  if (backlog && reply.pipelines.length) body.push(subtleLine([backlog]));
  return card(body, fallback);
}
