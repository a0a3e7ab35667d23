/**
 * A diagnosis as terminal text: the verdict first (bottleneck, confidence, summary), then where
 * the time went (top flows, critical path marked), then the evidence (value against threshold),
 * then the numbered fixes with the exact setting, then the baseline. Fits in `width` columns.
 */
import type { Reply } from '../commands/types.js';
import type { Diagnosis, EvidenceItem, Severity } from '../src/diagnosis/types.js';
import { DEFAULT_TEXT_OPTIONS, evidenceText, formatDuration, formatRatio, paint, type TextOptions, visibleLength, wrap } from './format.js';
import { windowSentence } from './window.js';
import { WHERE_TIME_WENT_LABEL, whereTimeWentItems, whereTimeWentOf, whereTimeWentScope } from './where-time-went.js';
import { gapLines } from './gaps.js';

type DiagnosisReply = Extract<Reply, { kind: 'diagnosis' }>;

const SEVERITY_MARK: Record<Severity, string> = { critical: '!!', warning: '! ', info: 'i ' };
const SEVERITY_STYLE = { critical: 'red', warning: 'yellow', info: 'dim' } as const;


export function evidenceLine(e: EvidenceItem): string {
  const t = evidenceText(e);
  return `${t.metric}${t.text.startsWith('is ') ? ' ' : ': '}${t.text} — ${e.source}`;
}

export function verdictHeadline(d: Diagnosis): string {
  const v = d.verdict;
  const label = v.bottleneck === 'none' ? 'NO BOTTLENECK' : `${v.bottleneck.toUpperCase()}-BOUND`;
  return `${label} · confidence ${Math.round(v.confidence * 100)}%`;
}

/**
 * "Where the time went: orders_silver 77% (critical path) · … — of 25m 35s running", wrapped to
 * `width` between flows where it can (a flow and its share stay on one line); [] without flow timings.
 * Names are shown whole (control characters replaced, so none reaches the terminal).
 */
export function whereTimeWentLines(d: Diagnosis, width: number, indent = '  '): string[] {
  const w = whereTimeWentOf(d);
  if (!w) return [];
  const items = whereTimeWentItems(w, { name: (flow) => flow, duration: formatDuration });
  const pieces = [`${WHERE_TIME_WENT_LABEL}: ${items[0]}`, ...items.slice(1).map((i) => `· ${i}`)];
  pieces[pieces.length - 1] += ` — ${whereTimeWentScope(w, { duration: formatDuration })}`;
  const lines: string[] = [];
  let line = '';
  for (const piece of pieces) {
    if (line && visibleLength(line) + 1 + visibleLength(piece) <= width) {
      line += ` ${piece}`;
      continue;
    }
    if (line) lines.push(line);
    // a piece longer than a line is word-wrapped on its own
    const wrapped = wrap(piece, width, indent, lines.length ? indent : '');
    line = wrapped.pop() ?? '';
    lines.push(...wrapped);
  }
  if (line) lines.push(line);
  return lines;
}

export function diagnosisToText(d: Diagnosis, o: TextOptions = DEFAULT_TEXT_OPTIONS, pipelineUrl: string | null = null): string {
  const W = o.width;
  const out: string[] = [];
  const u = d.update;
  out.push(...wrap(`${d.pipeline.name} · update ${u.id} · ${u.state} · ${formatDuration(u.duration_s)}${u.full_refresh ? ' · full refresh' : ''}`, W));
  const headStyle = d.verdict.bottleneck === 'none' ? 'green' : 'red';
  out.push(paint(verdictHeadline(d), headStyle, o.color));
  out.push(...wrap(d.verdict.summary, W));
  const where = whereTimeWentLines(d, W);
  if (where.length) out.push('', ...where);
  const window = windowSentence(d);
  if (window) out.push('', ...wrap(window, W));

  if (d.findings.length) {
    out.push('', paint('Evidence', 'bold', o.color));
    for (const f of d.findings) {
      const mark = paint(SEVERITY_MARK[f.severity], SEVERITY_STYLE[f.severity], o.color);
      const lines = wrap(`${f.title} [${f.rule}]`, W, '     ', '   ');
      out.push(`${mark}${lines[0]!.slice(2)}`, ...lines.slice(1));
      for (const e of f.evidence) out.push(...wrap(evidenceLine(e), W, '       ', '     - '));
    }
  }

  if (d.recommendations.length) {
    out.push('', paint('Fixes', 'bold', o.color));
    d.recommendations.forEach((r, i) => {
      const n = `${i + 1}. `;
      const ind = ' '.repeat(n.length + 2);
      out.push(...wrap(`${paint(r.title, 'bold', o.color)} (guide ${r.guide_section}) · id ${r.id}`, W, ind, `  ${n}`));
      if (r.change) out.push(...wrap(`set ${r.change.target} ${r.change.key} = ${r.change.value}`, W, ind + '  ', ind));
      out.push(...wrap(`why: ${r.why}`, W, ind + '  ', ind));
      out.push(...wrap(`effect: ${r.expected_effect}`, W, ind + '  ', ind));
      out.push(...wrap(`risk: ${r.risk}`, W, ind + '  ', ind));
    });
  }

  out.push('', paint('Baseline', 'bold', o.color));
  if (d.baseline) {
    const ratio = d.baseline.duration_ratio === null ? '' : `; this update ${formatRatio(d.baseline.duration_ratio)}`;
    out.push(...wrap(`median of the last ${d.baseline.updates} completed updates: ${formatDuration(d.baseline.median_duration_s)}${ratio}`, W, '    ', '  '));
  } else if (d.pipeline.continuous) {
    out.push(...wrap('none for a continuous pipeline: its update runs until stopped, so its streams are judged on their recent window instead', W, '    ', '  '));
  } else {
    out.push('  no earlier completed updates to compare with');
  }
  const phases = Object.entries(u.phases_s).map(([k, s]) => `${k.replace(/_/g, ' ')} ${formatDuration(s)}`);
  if (phases.length) out.push(...wrap(`phases: ${phases.join(' · ')}`, W, '    ', '  '));

  if (d.notes.length || d.gaps.length) {
    out.push('', paint('Notes', 'bold', o.color));
    for (const g of gapLines(d)) out.push(...wrap(g, W, '    ', '  - '));
    for (const n of d.notes) out.push(...wrap(n, W, '    ', '  - '));
  }
  if (pipelineUrl) out.push('', ...wrap(`Open in Databricks: ${pipelineUrl}`, W));
  return out.join('\n');
}

export function toText(reply: DiagnosisReply, o: TextOptions = DEFAULT_TEXT_OPTIONS): string {
  return diagnosisToText(reply.diagnosis, o, reply.pipelineUrl);
}
