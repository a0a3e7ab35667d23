/**
 * Holdout accuracy: the engine against 32 bundles an independent expert labelled without seeing the
 * engine (test/fixtures/holdout, written by scripts/write-holdout.ts). Prints a per-class and a
 * per-case table; passes when at least 85% of verdicts match the label and no case gets a forbidden
 * recommendation (by id, or — serverless — by change target).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src/bundle/read.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import type { Diagnosis } from '../../src/diagnosis/types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'holdout');

interface Label {
  class: string;
  verdict: string;
  reason: string;
  forbidden_fixes: string[];
  forbidden_targets?: string[];
  update_id?: string;
  evidence: string;
}

interface Row {
  name: string;
  label: Label;
  verdict: string;
  confidence: number | null;
  summary: string;
  recs: string[];
  forbidden: string[];
  right: boolean;
  error: string | null;
  d: Diagnosis | null;
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i]!)).join(' | ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('-|-'), ...rows.map(line)].join('\n');
}

async function runCase(name: string): Promise<Row> {
  const label = JSON.parse(readFileSync(join(ROOT, name, 'label.json'), 'utf8')) as Label;
  try {
    const { evidence } = await readBundle(join(ROOT, name), label.update_id ? { updateId: label.update_id } : {});
    const d = diagnose(evidence);
    const recs = d.recommendations.map((r) => r.id);
    const forbidden = [
      ...d.recommendations.filter((r) => label.forbidden_fixes.includes(r.id)).map((r) => r.id),
      ...d.recommendations
        .filter((r) => r.change && (label.forbidden_targets ?? []).includes(r.change.target) && !label.forbidden_fixes.includes(r.id))
        .map((r) => `${r.id}(${r.change!.target})`),
    ];
    return { name, label, verdict: d.verdict.bottleneck, confidence: d.verdict.confidence, summary: d.verdict.summary, recs, forbidden, right: d.verdict.bottleneck === label.verdict, error: null, d };
  } catch (err) {
    return { name, label, verdict: 'ERROR', confidence: null, summary: '', recs: [], forbidden: [], right: false, error: err instanceof Error ? err.message : String(err), d: null };
  }
}

describe('holdout accuracy (independently labelled bundles)', () => {
  it('gets at least 85% of verdicts right and recommends no forbidden fix', async () => {
    const names = readdirSync(ROOT)
      .filter((n) => existsSync(join(ROOT, n, 'label.json')))
      .sort();
    expect(names.length).toBeGreaterThanOrEqual(24);
    const rows: Row[] = [];
    for (const n of names) rows.push(await runCase(n));

    // per class
    const classes = [...new Set(rows.map((r) => `${r.label.class} → ${r.label.verdict}`))].sort();
    const perClass = classes.map((c) => {
      const rs = rows.filter((r) => `${r.label.class} → ${r.label.verdict}` === c);
      const ok = rs.filter((r) => r.right).length;
      const bad = rs.filter((r) => r.forbidden.length > 0).length;
      return [c, String(rs.length), String(ok), `${Math.round((100 * ok) / rs.length)}%`, String(bad)];
    });
    const right = rows.filter((r) => r.right).length;
    const withForbidden = rows.filter((r) => r.forbidden.length > 0);
    console.log(`\nHOLDOUT: ${right}/${rows.length} right (${((100 * right) / rows.length).toFixed(1)}%), ${withForbidden.length} case(s) with a forbidden fix\n`);
    console.log(table(['class → label', 'cases', 'right', 'accuracy', 'forbidden'], perClass));

    // per case
    console.log(
      '\n' +
        table(
          ['case', 'label', 'engine', 'ok', 'conf', 'recommendations', 'forbidden'],
          rows.map((r) => [r.name, r.label.verdict, r.verdict, r.right ? 'yes' : 'NO', r.confidence === null ? '-' : r.confidence.toFixed(2), r.recs.join(',') || '-', r.forbidden.join(',') || '-']),
        ),
    );
    console.log('\nsummaries:');
    for (const r of rows) {
      console.log(`- ${r.name} [${r.label.verdict} → ${r.verdict}${r.right ? '' : ' ✗'}] ${r.error ?? r.summary}`);
      if (r.d) {
        const f = r.d.findings.map((x) => `${x.rule}:${x.category}:${x.severity}`).join(' ');
        const ph = Object.entries(r.d.update.phases_s).map(([k, v]) => `${k}=${Math.round(v)}`).join(' ');
        console.log(`    update ${r.d.update.state} ${ph} | baseline ratio ${r.d.baseline?.duration_ratio ?? '-'} | gaps ${r.d.gaps.join(',') || '-'}`);
        console.log(`    findings: ${f || '-'}`);
        if (r.d.notes.length) console.log(`    notes: ${r.d.notes.join(' / ')}`);
      }
    }

    expect(rows.filter((r) => r.error !== null).map((r) => `${r.name}: ${r.error}`)).toEqual([]);
    expect(right / rows.length).toBeGreaterThanOrEqual(0.85);
    expect(withForbidden.map((r) => `${r.name}: ${r.forbidden.join(',')}`)).toEqual([]);
  }, 600_000);
});
