/**
 * Block Kit for a diagnosis: verdict header, one-sentence summary, where the time went (the top
 * flows by share of the running phase, critical path marked), evidence as fields, the top
 * three fixes with the exact setting, the baseline, and the buttons the Slack listeners handle.
 */
import type { Reply } from '../../commands/types.js';
import type { Diagnosis, Recommendation, Finding, Change } from '../../src/diagnosis/types.js';
import type { Bottleneck } from '../../src/diagnosis/evidence.js';
import type { Block, ButtonElement, ButtonValue, SectionBlock, SlackPayload } from './types.js';
import { button, code, context, duration, esc, fallbackText, fieldsSection, header, inlineCode, section, truncate, withUnit } from './format.js';
import { isAppliable } from '../../src/apply/apply-change.js';
import { SLACK_LIMITS } from './limits.js';
import { windowSentence } from '../window.js';
import { CHAT_FLOW_NAME_MAX, WHERE_TIME_WENT_LABEL, whereTimeWentBody, whereTimeWentOf } from '../where-time-went.js';
import { gapLines } from '../gaps.js';
import { evidenceText, formatRatio } from '../format.js';

export type DiagnosisReply = Extract<Reply, { kind: 'diagnosis' }>;

export const ACTION_IDS = {
  showFixes: 'dlt_show_fixes',
  compare: 'dlt_compare',
  rediagnose: 'dlt_rediagnose',
  open: 'dlt_open_in_databricks',
} as const;

/** The Apply button beside each appliable fix. */
export const APPLY_ACTION_ID = 'dlt_apply';

/** What an Apply button carries back. */
export interface ApplyButtonValue {
  pipeline_id: string;
  update_id: string | null;
  recommendation_id: string;
}

const VERDICT_LABEL: Record<Bottleneck, string> = {
  cpu: 'CPU-bound',
  memory: 'memory pressure',
  io: 'I/O-bound',
  network: 'shuffle / network-bound',
  planning: 'slow planning',
  startup: 'slow startup',
  scaling: 'scaling limit',
  backlog: 'falling behind its source',
  none: 'healthy',
};

const SEVERITY_ICON = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:' } as const;

export function verdictLabel(bottleneck: Bottleneck): string {
  return VERDICT_LABEL[bottleneck];
}

export function verdictIcon(d: Diagnosis): string {
  if (d.verdict.bottleneck === 'none') return ':white_check_mark:';
  return d.findings.some((f) => f.severity === 'critical') ? ':red_circle:' : ':large_orange_circle:';
}

export interface DiagnosisRenderOptions {
  /** public URL of the chart image, when one was uploaded somewhere Slack can fetch */
  chartUrl?: string | null;
  /** how many fixes to show in full (the rest are behind "Details and all fixes") */
  topFixes?: number;
}

/** the other findings the channel message names by title, at most */
const ALSO_FOUND_MAX = 4;

export function renderDiagnosis(reply: DiagnosisReply, options: DiagnosisRenderOptions = {}): SlackPayload {
  const d = reply.diagnosis;
  // compact in the channel (issue 17 item 10): the verdict, the key evidence, the one fix to do
  // first; every finding with its evidence and every fix go to the thread ("Details and all fixes")
  const top = options.topFixes ?? 1;
  const blocks: Block[] = [];
  const label = verdictLabel(d.verdict.bottleneck);
  const confidence = d.verdict.bottleneck === 'none' ? '' : ` (${Math.round(d.verdict.confidence * 100)}% confidence)`;
  blocks.push(header(`${verdictIcon(d)} ${d.pipeline.name}: ${label}${confidence}`));
  blocks.push(section(`${esc(d.verdict.summary)}\n${updateLine(d)}`));
  const where = whereTimeWentText(d);
  if (where) blocks.push(section(where));
  const window = windowSentence(d);
  if (window) blocks.push(context(esc(window)));

  // the key evidence: the first finding (the verdict's strongest) with its figures; the others by title
  const [first, ...others] = d.findings;
  if (first) blocks.push(...findingBlocks(first));
  if (others.length) {
    const named = others.slice(0, ALSO_FOUND_MAX).map((f) => esc(truncate(f.title, 100)));
    blocks.push(context(`Also found: ${named.join(' · ')}${others.length > ALSO_FOUND_MAX ? ` · and ${others.length - ALSO_FOUND_MAX} more` : ''} — details in the thread`));
  }

  const recs = d.recommendations.slice(0, top);
  if (recs.length) {
    blocks.push(section(recs.length === 1 ? (d.recommendations.length > 1 ? `*The fix to do first* (of ${d.recommendations.length})` : '*The fix*') : `*Top ${recs.length} fixes*`));
    recs.forEach((r, i) => blocks.push(withApply(section(fixText(r, i + 1)), d, r)));
  }
  blocks.push(context(baselineLine(d)));
  const extra = [...gapLines(d), ...d.notes].map(esc);
  if (extra.length) blocks.push(context(extra.join(' · ')));
  if (options.chartUrl) {
    blocks.push({ type: 'image', image_url: options.chartUrl, alt_text: `Phase timeline and last durations of ${d.pipeline.name}` });
  }
  blocks.push({ type: 'actions', block_id: 'dlt_diagnosis_actions', elements: diagnosisButtons(reply, top, d.findings.length > 1 ? 0 : undefined) });

  return { text: fallbackText(diagnosisFallback(d)), blocks };
}

/**
 * `shown`: how many fixes the message shows in full; "Details and all fixes" only when the thread
 * would add something (more fixes, or findings the message names by title only: `hiddenFindings` 0)
 */
export function diagnosisButtons(reply: DiagnosisReply, shown = 1, hiddenFindings?: number): ButtonElement[] {
  const d = reply.diagnosis;
  const value: ButtonValue = { pipeline_id: d.pipeline.id, update_id: d.update.id, verdict: d.verdict.bottleneck, ...(reply.diagnosedAt ? { at: Math.floor(reply.diagnosedAt / 1000) } : {}) };
  const buttons: ButtonElement[] = [];
  if (d.recommendations.length > shown || hiddenFindings !== undefined) buttons.push(button(d.recommendations.length > shown ? 'Details and all fixes' : 'Details', ACTION_IDS.showFixes, value, 'primary'));
  buttons.push(button('Compare with baseline', ACTION_IDS.compare, value));
  buttons.push(button('Re-diagnose', ACTION_IDS.rediagnose, value));
  if (reply.pipelineUrl) {
    const open = button('Open in Databricks', ACTION_IDS.open);
    open.url = reply.pipelineUrl;
    buttons.push(open);
  }
  return buttons;
}

/**
 * The "Apply" button beside a fix (the section's accessory, so each keeps the action id `dlt_apply`)
 * when its change is a pipeline setting, cluster setting or Spark conf apply can write
 * (src/apply/apply-change.ts); none for table properties, code or placeholder values.
 */
export function applyButton(d: Diagnosis, r: Recommendation): ButtonElement | null {
  if (!isAppliable(r.change)) return null;
  const value = JSON.stringify({ pipeline_id: d.pipeline.id, update_id: d.update.id, recommendation_id: r.id } satisfies ApplyButtonValue);
  if (value.length > SLACK_LIMITS.buttonValue) return null;
  return { type: 'button', text: { type: 'plain_text', text: 'Apply' }, action_id: APPLY_ACTION_ID, value };
}

function withApply(block: SectionBlock, d: Diagnosis, r: Recommendation): SectionBlock {
  const b = applyButton(d, r);
  if (b) block.accessory = b;
  return block;
}

/**
 * The message's blocks once its fixes are all in the thread: "Details and all fixes" gives way to a line
 * saying where they are, so it is posted once (null: the message has no such button).
 */
export function withoutShowFixes(blocks: readonly unknown[]): Block[] | null {
  let found = false;
  const out: Block[] = [];
  for (const b of blocks as Block[]) {
    if (b.type === 'actions' && Array.isArray((b as { elements?: unknown[] }).elements)) {
      const elements = ((b as { elements: { action_id?: string }[] }).elements).filter((e) => e.action_id !== ACTION_IDS.showFixes);
      if (elements.length !== (b as { elements: unknown[] }).elements.length) {
        found = true;
        out.push(context('Details and all fixes are in the thread.'));
      }
      out.push({ ...(b as object), elements } as Block);
    } else out.push(b);
  }
  return found ? out : null;
}

/** Every finding and every recommendation, for the "Details and all fixes" thread reply. */
export function renderAllFixes(d: Diagnosis): SlackPayload {
  const blocks: Block[] = [];
  // the details the channel message names by title only: every finding with its evidence
  if (d.findings.length > 1) {
    blocks.push(section(`*All ${d.findings.length} findings for ${esc(d.pipeline.name)}*`));
    for (const f of d.findings) blocks.push(...findingBlocks(f));
  }
  blocks.push(section(`*${d.recommendations.length === 1 ? 'The one fix' : `All ${d.recommendations.length} fixes`} for ${esc(d.pipeline.name)}* (update ${inlineCode(d.update.id)})`));
  d.recommendations.forEach((r, i) => blocks.push(withApply(section(fixText(r, i + 1)), d, r)));
  if (!d.recommendations.length) blocks.push(section('No change recommended: nothing above info level was found.'));

  const text = fallbackText([`All fixes for ${d.pipeline.name}:`, ...d.recommendations.map((r, i) => `${i + 1}. ${r.title}${r.change ? ` — ${changeLine(r.change)}` : ''} (guide §${r.guide_section})`)].join('\n'));
  return { text, blocks };
}

function findingBlocks(f: Finding): Block[] {
  const title = `${SEVERITY_ICON[f.severity]} *${esc(f.title)}*`;
  const fields = f.evidence.map((e) => {
    const t = evidenceText(e);
    return t.text.startsWith('is ') ? `*${esc(t.metric)}* ${esc(t.text)}` : `*${esc(t.metric)}*: ${esc(t.text)}`;
  });
  // a section takes ≤ 10 fields; splitForSlack enforces it too, this keeps the title with the first ten
  const blocks: Block[] = [section(title, fields.slice(0, 10))];
  for (let i = 10; i < fields.length; i += 10) blocks.push(fieldsSection(fields.slice(i, i + 10)));
  return blocks;
}

export function changeLine(c: Change): string {
  return `${c.target}: ${c.key} = ${c.value}`;
}

function fixText(r: Recommendation, n: number): string {
  const lines = [`*${n}. ${esc(r.title)}* (guide §${esc(r.guide_section)}) · id ${inlineCode(r.id)}`, esc(r.why)];
  if (r.change) lines.push(code(changeLine(r.change)));
  lines.push(`_Expected:_ ${esc(r.expected_effect)}  _Risk:_ ${esc(r.risk)}`);
  return lines.join('\n');
}

/**
 * "*Where the time went:* `orders_silver` 77% (critical path) · … — of 25m 35s running", or null
 * when the diagnosis has no flow timings. Flow names come from the pipeline's code: escaped, in
 * inline code (inlineCode escapes) so `*`, `_`, `~` and URLs in them stay literal, and cut to 80 characters, so five of
 * them stay far below a section's 3000 characters.
 */
export function whereTimeWentText(d: Diagnosis): string | null {
  const w = whereTimeWentOf(d);
  if (!w) return null;
  const name = (flow: string) => inlineCode(truncate(flow, CHAT_FLOW_NAME_MAX));
  return `*${WHERE_TIME_WENT_LABEL}:* ${whereTimeWentBody(w, { name, duration })}`;
}

function updateLine(d: Diagnosis): string {
  const parts = [`Update ${inlineCode(d.update.id)}`, d.update.state, duration(d.update.duration_s)];
  if (d.update.full_refresh) parts.push('full refresh');
  if (d.update.cause) parts.push(`cause ${d.update.cause}`);
  return parts.map((p, i) => (i === 0 ? p : esc(p))).join(' · ');
}

/** A continuous update runs until stopped: its length is compared with nothing (docs/rules/stream-slowdown.md). */
export const CONTINUOUS_BASELINE = 'Baseline: none for a continuous pipeline — its update runs until stopped, so its streams are judged on their recent window instead.';

export function baselineLine(d: Diagnosis): string {
  const b = d.baseline;
  if (!b && d.pipeline.continuous) return CONTINUOUS_BASELINE;
  if (!b) return 'Baseline: not enough successful updates to compare with.';
  const ratio = b.duration_ratio === null ? '' : ` · this update took ${formatRatio(b.duration_ratio)} the median`;
  return `Baseline: median ${duration(b.median_duration_s)} over the last ${b.updates} successful updates${ratio}`;
}

export function diagnosisFallback(d: Diagnosis): string {
  const first = d.recommendations[0];
  const fix = first ? ` Top fix: ${first.title}${first.change ? ` (${changeLine(first.change)})` : ''}.` : '';
  return `${d.pipeline.name}: ${verdictLabel(d.verdict.bottleneck)}. ${d.verdict.summary}${fix}`;
}
