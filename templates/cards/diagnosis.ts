/**
 * Adaptive Card for a diagnosis: verdict, summary, where the time went (top flows by share of the
 * running phase, critical path marked), findings with their evidence as facts, the top
 * fixes with the exact setting, the baseline, and the same buttons as Slack (Action.Submit with the
 * Slack action ids; "Open in Databricks" as Action.OpenUrl).
 */
import { evidenceText } from '../format.js';
import type { Reply } from '../../commands/types.js';
import type { Diagnosis, Finding, Recommendation } from '../../src/diagnosis/types.js';
import { isAppliable } from '../../src/apply/apply-change.js';
import { ACTION_IDS, APPLY_ACTION_ID, baselineLine, changeLine, diagnosisFallback, verdictLabel } from '../blocks/diagnosis.js';
import { duration, withUnit } from '../blocks/format.js';
import { card, clip, facts, fitCard, fitsTeams, heading, line, mono, plain, rt, section, subtle, subtleLine, text } from './format.js';
import { windowSentence } from '../window.js';
import { CHAT_FLOW_NAME_MAX, WHERE_TIME_WENT_LABEL, whereTimeWentBody, whereTimeWentOf } from '../where-time-went.js';
import type { AdaptiveCard, CardAction, CardElement, SubmitData, TextColor } from './types.js';
import { gapLines } from '../gaps.js';

export type DiagnosisReply = Extract<Reply, { kind: 'diagnosis' }>;

const SEVERITY_COLOR: Record<Finding['severity'], TextColor> = { critical: 'attention', warning: 'warning', info: 'accent' };

function verdictColor(d: Diagnosis): TextColor {
  if (d.verdict.bottleneck === 'none') return 'good';
  return d.findings.some((f) => f.severity === 'critical') ? 'attention' : 'warning';
}

export function verdictTitle(d: Diagnosis): string {
  const confidence = d.verdict.bottleneck === 'none' ? '' : ` (${Math.round(d.verdict.confidence * 100)}% confidence)`;
  return `${d.pipeline.name}: ${verdictLabel(d.verdict.bottleneck)}${confidence}`;
}

function updateLine(d: Diagnosis): string {
  const parts = [`Update ${d.update.id}`, d.update.state, duration(d.update.duration_s)];
  if (d.update.full_refresh) parts.push('full refresh');
  if (d.update.cause) parts.push(`cause ${d.update.cause}`);
  return parts.join(' · ');
}

/**
 * "**Where the time went:** orders_silver 77% (critical path) · … — of 25m 35s running" as a
 * RichTextBlock, or null without flow timings. Flow names are TextRun text (shown as typed, never
 * Markdown) cut to 80 characters.
 */
export function whereTimeWentBlock(d: Diagnosis): CardElement | null {
  const w = whereTimeWentOf(d);
  if (!w) return null;
  const name = (flow: string) => clip(flow, CHAT_FLOW_NAME_MAX);
  return line(rt`**${WHERE_TIME_WENT_LABEL}:** ${whereTimeWentBody(w, { name, duration })}`, { spacing: 'small' });
}

function findingItems(f: Finding): CardElement[] {
  const items: CardElement[] = [line(rt`**${f.title}**`, { color: SEVERITY_COLOR[f.severity] })];
  if (f.evidence.length) {
    items.push(facts(f.evidence.map((e) => ({
      title: e.metric,
      value: evidenceText(e).text,
    }))));
  }
  return items;
}

export function fixItems(r: Recommendation, n: number, d?: Diagnosis): CardElement[] {
  const items: CardElement[] = [line(rt`**${n}. ${r.title}** (guide §${r.guide_section}) · id ${r.id}`), plain(r.why, { spacing: 'small' })];
  if (r.change) items.push(mono(changeLine(r.change)));
  items.push(subtle(`Expected: ${r.expected_effect} · Risk: ${r.risk}`));
  // the Apply button beside a fix apply can write (pipeline/cluster settings, Spark conf), as in Slack
  if (d && isAppliable(r.change)) {
    items.push({ type: 'ActionSet', spacing: 'small', actions: [{ type: 'Action.Submit', title: 'Apply…', data: { action: APPLY_ACTION_ID, pipeline_id: d.pipeline.id, update_id: d.update.id, recommendation_id: r.id } }] });
  }
  return items;
}

/**
 * `shown`: how many fixes the card shows in full; "Details and all fixes" only when the thread would
 * add something (more fixes, or findings the card names by title only), as on Slack
 */
export function diagnosisActions(reply: DiagnosisReply, shown = 1): CardAction[] {
  const d = reply.diagnosis;
  const data = (action: 'dlt_show_fixes' | 'dlt_compare' | 'dlt_rediagnose'): SubmitData => ({ action, pipeline_id: d.pipeline.id, update_id: d.update.id });
  const actions: CardAction[] = [];
  const moreFixes = d.recommendations.length > shown;
  if (moreFixes || d.findings.length > 1) actions.push({ type: 'Action.Submit', title: moreFixes ? 'Details and all fixes' : 'Details', style: 'positive', data: data(ACTION_IDS.showFixes) });
  actions.push({ type: 'Action.Submit', title: 'Compare with baseline', data: data(ACTION_IDS.compare) });
  actions.push({ type: 'Action.Submit', title: 'Re-diagnose', data: data(ACTION_IDS.rediagnose) });
  if (reply.pipelineUrl) actions.push({ type: 'Action.OpenUrl', title: 'Open in Databricks', url: reply.pipelineUrl });
  return actions;
}

/** the other findings the card names by title, at most (as on Slack) */
const ALSO_FOUND_MAX = 4;

/**
 * Compact, as the Slack message (issue 17 item 10): the verdict, the key evidence (the first
 * finding with its figures, the others by title), the one fix to do first with its Apply button, the
 * baseline and the buttons; every finding and every fix are behind "Details and all fixes".
 */
export function toAdaptiveCard(reply: DiagnosisReply, o: { topFixes?: number } = {}): AdaptiveCard {
  const c = build(reply, o.topFixes ?? 1, true);
  return fitsTeams(c) ? c : fitCard(build(reply, 1, false));
}

function build(reply: DiagnosisReply, topFixes: number, withEvidence: boolean): AdaptiveCard {
  const d = reply.diagnosis;
  const body: CardElement[] = [
    heading(verdictTitle(d)),
    plain(d.verdict.summary, { color: verdictColor(d), weight: 'bolder' }),
    subtle(updateLine(d)),
  ];
  const where = whereTimeWentBlock(d);
  if (where) body.push(where);
  const window = windowSentence(d);
  if (window) body.push(subtle(window));
  const [first, ...others] = d.findings;
  if (first) body.push(section(withEvidence ? findingItems(first) : findingItems({ ...first, evidence: [] }), { separator: true }));
  if (others.length) {
    const named = others.slice(0, ALSO_FOUND_MAX).map((f) => clip(f.title, 100));
    const more = others.length > ALSO_FOUND_MAX ? ` · and ${others.length - ALSO_FOUND_MAX} more` : '';
    body.push(subtle(`Also found: ${named.join(' · ')}${more} (Details shows them)`));
  }
  const recs = d.recommendations.slice(0, topFixes);
  if (recs.length) {
    const title = recs.length === 1 ? (d.recommendations.length > 1 ? `**The fix to do first** (of ${d.recommendations.length})` : '**The fix**') : `**Top ${recs.length} fixes**`;
    body.push(text(title, { spacing: 'large', size: 'medium' }));
    recs.forEach((r, i) => body.push(section(fixItems(r, i + 1, d))));
  }
  body.push(subtle(baselineLine(d)));
  const extra = [...gapLines(d), ...d.notes];
  if (extra.length) body.push(subtle(extra.join(' · ')));
  return card(body, clip(diagnosisFallback(d), 1000), diagnosisActions(reply, recs.length));
}

/**
 * "Details and all fixes", in the thread: every finding with its evidence (when the card named some
 * by title only) and every recommendation. Findings give way first when the card would be too big.
 */
export function allFixesCard(d: Diagnosis): AdaptiveCard {
  const fallback = [`All fixes for ${d.pipeline.name}:`, ...d.recommendations.map((r, i) => `${i + 1}. ${r.title}${r.change ? ` — ${changeLine(r.change)}` : ''} (guide §${r.guide_section})`)].join('\n');
  const build = (shownFindings: number): AdaptiveCard => {
    const body: CardElement[] = [];
    if (d.findings.length > 1) {
      body.push(heading(`All ${d.findings.length} findings for ${d.pipeline.name}`), subtle(`Update ${d.update.id}`));
      for (const f of d.findings.slice(0, shownFindings)) body.push(section(findingItems(f), { separator: true }));
      if (shownFindings < d.findings.length) body.push(subtleLine(rt`…and ${d.findings.length - shownFindings} more findings (the CLI's \`why-slow\` shows every one).`));
    }
    body.push(heading(`${d.recommendations.length === 1 ? 'The one fix' : `All ${d.recommendations.length} fixes`} for ${d.pipeline.name}`), subtle(`Update ${d.update.id}`));
    d.recommendations.forEach((r, i) => body.push(section(fixItems(r, i + 1, d), { separator: i > 0 })));
    if (!d.recommendations.length) body.push(text('No change recommended: nothing above info level was found.'));
    return card(body, clip(fallback, 1000));
  };
  for (let shown = d.findings.length; shown > 0; shown = shown > 8 ? Math.floor(shown / 2) : shown - 1) {
    const c = build(shown);
    if (fitsTeams(c)) return c;
  }
  return fitCard(build(0));
}
