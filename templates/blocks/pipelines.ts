/** Block Kit for `pipelines [filter]`: one line per pipeline, worst first, with the bot's assessment, last update and baseline. */
import { formatRatio } from '../format.js';
import type { Reply } from '../../commands/types.js';
import type { PipelineSummary } from '../../src/source.js';
import type { Block, SlackPayload } from './types.js';
import { assessmentReasons, lastVerdictText, STATUS_LABEL } from '../assessment.js';
import { backlogSourceLine, updatesSourceLine } from '../updates-source.js';
import { duration, esc, fallbackText, header, inlineCode, section, context } from './format.js';

export type PipelinesReply = Extract<Reply, { kind: 'pipelines' }>;

const LINES_PER_SECTION = 15;

function icon(p: PipelineSummary): string {
  const status = p.assessment?.status;
  if (status === 'failed' || (!status && p.lastUpdate?.state === 'FAILED')) return ':red_circle:';
  if (status === 'ok') return ':white_check_mark:';
  if (status === 'no_updates') return ':white_circle:';
  if (status || p.health === 'UNHEALTHY') return ':large_orange_circle:';
  return ':white_check_mark:';
}

export function pipelineLine(p: PipelineSummary): string {
  const parts = [`${icon(p)} *${esc(p.name)}* ${inlineCode(p.id)}`];
  const a = p.assessment;
  if (a && a.status !== 'ok' && a.status !== 'no_updates') {
    const reasons = assessmentReasons(p, { failure: false, regression: false, verdict: false });
    parts.push(`*${STATUS_LABEL[a.status]}*${reasons.length ? `: ${esc(reasons.join('; '))}` : ''}`);
  }
  const verdict = lastVerdictText(p);
  if (verdict) parts.push(`_${esc(verdict)}_`);
  if (p.lastUpdate) {
    let vs = '';
    if (p.lastUpdate.durationS !== null && p.baselineMedianS) vs = ` (${formatRatio(p.lastUpdate.durationS / p.baselineMedianS)} baseline ${duration(p.baselineMedianS)})`;
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
  const backlog = backlogSourceLine(reply.pipelines);
  if (backlog && lines.length) blocks.push(context(esc(backlog)));
  const text = [title, ...reply.pipelines.map((p) => `${p.name} (${p.id}): ${p.assessment ? `${STATUS_LABEL[p.assessment.status]}, ` : ''}${p.lastUpdate ? `${p.lastUpdate.state} ${duration(p.lastUpdate.durationS)}` : 'no update'}`)].join('\n');
  return { text: fallbackText(text), blocks };
}
