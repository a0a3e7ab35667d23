/** Adaptive Card for `compare <pipeline> [A B]`: phases, verdicts, findings and settings of two updates. */
import type { Reply } from '../../commands/types.js';
import { phaseTable } from '../blocks/compare.js';
import { verdictLabel } from '../blocks/diagnosis.js';
import { duration } from '../blocks/format.js';
import { card, heading, plainFacts, line, mono, plain, rt, section, subtle, text } from './format.js';
import type { AdaptiveCard, CardElement } from './types.js';

export type CompareReply = Extract<Reply, { kind: 'compare' }>;

export function toAdaptiveCard(reply: CompareReply): AdaptiveCard {
  const { a, b } = reply;
  const body: CardElement[] = [heading(`Compare ${reply.pipeline.name}`), subtle(`A ${a.update.id} (${a.update.started_at}) vs B ${b.update.id} (${b.update.started_at})`), ...(reply.basis ? [subtle(reply.basis)] : [])];
  body.push(mono(phaseTable(a, b)));
  body.push({
    type: 'ColumnSet',
    spacing: 'medium',
    columns: [
      { type: 'Column', width: 'stretch', items: [line(rt`**A**: ${verdictLabel(a.verdict.bottleneck)}`), plain(a.verdict.summary, { isSubtle: true, spacing: 'small' })] },
      { type: 'Column', width: 'stretch', items: [line(rt`**B**: ${verdictLabel(b.verdict.bottleneck)}`), plain(b.verdict.summary, { isSubtle: true, spacing: 'small' })] },
    ],
  });
  const rulesA = new Set(a.findings.map((f) => f.rule));
  const rulesB = new Set(b.findings.map((f) => f.rule));
  // one run per finding, "• " instead of a Markdown list: titles are shown as typed
  const bullets = (list: typeof a.findings) => line(list.map((f, i) => `${i ? '\n' : ''}• ${f.title}`), { spacing: 'small' });
  const appeared = b.findings.filter((f) => !rulesA.has(f.rule));
  const resolved = a.findings.filter((f) => !rulesB.has(f.rule));
  if (appeared.length) body.push(section([text('**New in B**'), bullets(appeared)]));
  if (resolved.length) body.push(section([text('**Gone in B**'), bullets(resolved)]));
  if (!appeared.length && !resolved.length) body.push(subtle('Same findings in both updates.'));
  if (reply.settings.length) body.push(section([text('**Settings that differ**'), plainFacts(reply.settings.map((s) => ({ title: s.key, value: `${s.a} → ${s.b}` })))]));
  const flows = reply.flows.filter((f) => f.a && f.b && f.a.durationS !== null && f.b.durationS !== null);
  if (flows.length) {
    const slowest = [...flows].sort((x, y) => (y.b!.durationS! - y.a!.durationS!) - (x.b!.durationS! - x.a!.durationS!)).slice(0, 10);
    body.push(section([text('**Flows that changed most**'), plainFacts(slowest.map((f) => ({
      title: f.name,
      value: `${duration(f.a!.durationS)} → ${duration(f.b!.durationS)}${f.a!.rowsPerS && f.b!.rowsPerS ? ` · ${Math.round(f.a!.rowsPerS)} → ${Math.round(f.b!.rowsPerS)} rows/s` : ''}`,
    })))]));
  }
  const fallback = `Compare ${reply.pipeline.name}: A ${a.update.id} ${duration(a.update.duration_s)} (${verdictLabel(a.verdict.bottleneck)}) vs B ${b.update.id} ${duration(b.update.duration_s)} (${verdictLabel(b.verdict.bottleneck)})`;
  return card(body, fallback);
}
