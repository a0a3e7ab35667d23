/** Block Kit for `compare <pipeline> [A B]`: phases, duration, verdict and findings of two updates. */
import type { Reply } from '../../commands/types.js';
import { PHASES } from '../../src/diagnosis/evidence.js';
import type { Diagnosis } from '../../src/diagnosis/types.js';
import type { Block, SlackPayload } from './types.js';
import { code, duration, esc, fallbackText, header, inlineCode, section, context } from './format.js';
import { verdictLabel } from './diagnosis.js';

export type CompareReply = Extract<Reply, { kind: 'compare' }>;

function phaseNames(a: Diagnosis, b: Diagnosis): string[] {
  const known: string[] = PHASES.filter((p) => p in a.update.phases_s || p in b.update.phases_s);
  const other = [...new Set([...Object.keys(a.update.phases_s), ...Object.keys(b.update.phases_s)])].filter((p) => !known.includes(p));
  return [...known, ...other];
}

function delta(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined) return '';
  const d = b - a;
  if (d === 0) return '=';
  return `${d > 0 ? '+' : '-'}${duration(Math.abs(d))}`;
}

export function phaseTable(a: Diagnosis, b: Diagnosis): string {
  const rows: [string, string, string, string][] = [['phase', 'A', 'B', 'change']];
  for (const p of phaseNames(a, b)) {
    const pa = a.update.phases_s[p];
    const pb = b.update.phases_s[p];
    rows.push([p, duration(pa), duration(pb), delta(pa, pb)]);
  }
  rows.push(['total', duration(a.update.duration_s), duration(b.update.duration_s), delta(a.update.duration_s, b.update.duration_s)]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i as 0 | 1 | 2 | 3].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function renderCompare(reply: CompareReply): SlackPayload {
  const { a, b } = reply;
  const blocks: Block[] = [header(`Compare ${reply.pipeline.name}`)];
  blocks.push(section(`*A* ${inlineCode(a.update.id)} (${esc(a.update.started_at)}) vs *B* ${inlineCode(b.update.id)} (${esc(b.update.started_at)})`));
  if (reply.basis) blocks.push(context(esc(reply.basis)));
  blocks.push(section(code(phaseTable(a, b))));
  blocks.push(section('*Verdicts*', [
    `*A*: ${verdictLabel(a.verdict.bottleneck)}\n${esc(a.verdict.summary)}`,
    `*B*: ${verdictLabel(b.verdict.bottleneck)}\n${esc(b.verdict.summary)}`,
  ]));
  const rulesA = new Set(a.findings.map((f) => f.rule));
  const rulesB = new Set(b.findings.map((f) => f.rule));
  const appeared = b.findings.filter((f) => !rulesA.has(f.rule)).map((f) => `• ${esc(f.title)}`);
  const resolved = a.findings.filter((f) => !rulesB.has(f.rule)).map((f) => `• ${esc(f.title)}`);
  if (appeared.length) blocks.push(section(`*New in B*\n${appeared.join('\n')}`));
  if (resolved.length) blocks.push(section(`*Gone in B*\n${resolved.join('\n')}`));
  if (!appeared.length && !resolved.length) blocks.push(context('Same findings in both updates.'));
  if (reply.settings.length) {
    blocks.push(section(`*Settings that differ*\n${reply.settings.map((s) => `• ${inlineCode(s.key)}: ${esc(s.a)} → ${esc(s.b)}`).join('\n')}`));
  }
  const flows = reply.flows.filter((f) => f.a && f.b && f.a.durationS !== null && f.b.durationS !== null);
  if (flows.length) {
    const slowest = [...flows].sort((x, y) => (y.b!.durationS! - y.a!.durationS!) - (x.b!.durationS! - x.a!.durationS!)).slice(0, 10);
    const lines = slowest.map((f) => `• ${inlineCode(f.name)} ${duration(f.a!.durationS)} → ${duration(f.b!.durationS)}${f.a!.rowsPerS && f.b!.rowsPerS ? ` · ${Math.round(f.a!.rowsPerS)} → ${Math.round(f.b!.rowsPerS)} rows/s` : ''}`);
    blocks.push(section(`*Flows that changed most*\n${lines.join('\n')}`));
  }
  const text = `Compare ${reply.pipeline.name}: A ${a.update.id} ${duration(a.update.duration_s)} (${verdictLabel(a.verdict.bottleneck)}) vs B ${b.update.id} ${duration(b.update.duration_s)} (${verdictLabel(b.verdict.bottleneck)})`;
  return { text: fallbackText(text), blocks };
}
