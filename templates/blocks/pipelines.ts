/** Block Kit for `pipelines [filter]`: one line per pipeline with health, last update and baseline. */
import type { Reply } from '../../commands/types.js';
import type { PipelineSummary } from '../../src/source.js';
import type { Block, SlackPayload } from './types.js';
import { updatesSourceLine } from '../updates-source.js';
import { duration, esc, fallbackText, header, inlineCode, section, context } from './format.js';

export type PipelinesReply = Extract<Reply, { kind: 'pipelines' }>;

const LINES_PER_SECTION = 15;

export function pipelineLine(p: PipelineSummary): string {
  const icon = p.lastUpdate?.state === 'FAILED' ? ':red_circle:' : p.health === 'UNHEALTHY' ? ':large_orange_circle:' : ':white_check_mark:';
  const parts = [`${icon} *${esc(p.name)}* ${inlineCode(p.id)}`];
  if (p.lastUpdate) {
    let vs = '';
    if (p.lastUpdate.durationS !== null && p.baselineMedianS) vs = ` (${(p.lastUpdate.durationS / p.baselineMedianS).toFixed(1)}× baseline ${duration(p.baselineMedianS)})`;
    parts.push(`last update ${p.lastUpdate.state}, ${duration(p.lastUpdate.durationS)}${vs}`);
  } else {
    parts.push('no update yet');
  }
  return parts.join(' · ');
}

export function renderPipelines(reply: PipelinesReply): SlackPayload {
  const title = reply.filter ? `Pipelines matching "${reply.filter}" (${reply.pipelines.length})` : `Pipelines (${reply.pipelines.length})`;
  const blocks: Block[] = [header(title)];
  const lines = reply.pipelines.map(pipelineLine);
  if (!lines.length) blocks.push(section(reply.filter ? `No pipeline matches "${esc(reply.filter)}".` : 'No pipelines found in this workspace.'));
  for (let i = 0; i < lines.length; i += LINES_PER_SECTION) blocks.push(section(lines.slice(i, i + LINES_PER_SECTION).join('\n')));
  if (lines.length) blocks.push(context(`Diagnose one with ${inlineCode('/dlt why-slow <pipeline>')}`));
  const source = updatesSourceLine(reply.pipelines);
  if (source && lines.length) blocks.push(context(esc(source)));
  const text = [title, ...reply.pipelines.map((p) => `${p.name} (${p.id}): ${p.lastUpdate ? `${p.lastUpdate.state} ${duration(p.lastUpdate.durationS)}` : 'no update'}`)].join('\n');
  return { text: fallbackText(text), blocks };
}
