/**
 * Accuracy on the labelled corpus (test/fixtures/corpus, written by scripts/write-corpus.ts; issue 12
 * item 10). Every case is read with the product's own readBundle and diagnosed with diagnose; the
 * labels were written from the tuning guide before the engine was run and are never tuned to it.
 *
 * Asserts: ≥ 90% of verdicts right, no forbidden fix recommended, every output valid against the
 * diagnosis JSON schema and the CONTRACT §2 invariants. Prints a per-class table.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/bundle/read.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { DiagnosisJsonSchema, toDiagnosisJson, type DiagnosisJson } from '../../src/diagnosis/diagnosis-schema.js';

const CORPUS = resolve(fileURLToPath(new URL('../fixtures/corpus', import.meta.url)));
const MIN_ACCURACY = 0.9;
/** CONTRACT §2: phases_s always carries these five keys */
const CONTRACT_PHASES = ['queued', 'waiting_for_resources', 'initializing', 'setting_up_tables', 'running'] as const;
const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

interface Label {
  class: string;
  verdict: string;
  reason: string;
  forbidden_fixes: string[];
  expected_fixes_any?: string[];
  notes: string;
}

interface Result {
  id: string;
  label: Label;
  json: DiagnosisJson | null;
  error: string | null;
  verdictRight: boolean;
  forbidden: string[];
  expectedHit: boolean | null;
  schemaErrors: string[];
  contractErrors: string[];
}

function caseIds(): string[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(CORPUS, d.name, 'label.json')))
    .map((d) => d.name)
    .sort();
}

/** CONTRACT §2 invariants a diagnosis must hold, whatever its verdict */
function contractErrors(d: DiagnosisJson): string[] {
  const errs: string[] = [];
  for (const p of CONTRACT_PHASES) {
    const v = d.update.phases_s[p];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) errs.push(`phases_s.${p} missing (has ${Object.keys(d.update.phases_s).join(', ') || 'nothing'})`);
  }
  const first = d.recommendations[0];
  if (d.verdict.bottleneck !== 'none' && first && first.category !== d.verdict.bottleneck) {
    errs.push(`first recommendation ${first.id} is ${first.category}, verdict is ${d.verdict.bottleneck}`);
  }
  if (d.verdict.bottleneck === 'none' && d.update.state === 'COMPLETED') {
    const critical = d.findings.filter((f) => f.severity === 'critical').map((f) => f.rule);
    if (critical.length) errs.push(`none verdict on a COMPLETED update with critical finding(s): ${critical.join(', ')}`);
  }
  for (let i = 1; i < d.findings.length; i++) {
    if (SEVERITY_RANK[d.findings[i]!.severity]! < SEVERITY_RANK[d.findings[i - 1]!.severity]!) {
      errs.push(`findings not sorted by severity (${d.findings[i - 1]!.rule} ${d.findings[i - 1]!.severity} before ${d.findings[i]!.rule} ${d.findings[i]!.severity})`);
      break;
    }
  }
  if (d.update.ended_at === null && d.baseline && d.baseline.duration_ratio !== null) errs.push('baseline.duration_ratio set on an update that has not ended');
  return errs;
}

async function run(id: string): Promise<Result> {
  const label = JSON.parse(readFileSync(join(CORPUS, id, 'label.json'), 'utf8')) as Label;
  const base: Result = { id, label, json: null, error: null, verdictRight: false, forbidden: [], expectedHit: null, schemaErrors: [], contractErrors: [] };
  let json: DiagnosisJson;
  try {
    const { evidence } = await readBundle(join(CORPUS, id));
    json = toDiagnosisJson(diagnose(evidence));
  } catch (err) {
    return { ...base, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  const ids = json.recommendations.map((r) => r.id);
  const parsed = DiagnosisJsonSchema.safeParse(json);
  return {
    ...base,
    json,
    verdictRight: json.verdict.bottleneck === label.verdict,
    forbidden: ids.filter((r) => label.forbidden_fixes.includes(r)),
    expectedHit: label.expected_fixes_any?.length ? ids.some((r) => label.expected_fixes_any!.includes(r)) : null,
    schemaErrors: parsed.success ? [] : parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    contractErrors: contractErrors(json),
  };
}

function said(r: Result): string {
  if (r.json === null) return `error ${r.error}`;
  const d = r.json;
  const top = d.findings
    .slice(0, 3)
    .map((f) => `${f.rule}/${f.category}/${f.severity}`)
    .join(', ');
  return `${d.verdict.bottleneck} (${d.verdict.confidence.toFixed(2)}) [${top}] recs: ${d.recommendations.map((x) => x.id).join(', ') || '—'}`;
}

function table(results: Result[]): string {
  const byClass = new Map<string, Result[]>();
  for (const r of results) byClass.set(r.label.class, [...(byClass.get(r.label.class) ?? []), r]);
  const lines = ['| class | cases | right | misses (case: label → engine) |', '|---|---|---|---|'];
  for (const [cls, rs] of [...byClass.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const misses = rs.filter((r) => !r.verdictRight).map((r) => `${r.id}: ${r.label.verdict} → ${r.json?.verdict.bottleneck ?? 'error'}`);
    lines.push(`| ${cls} | ${rs.length} | ${rs.filter((r) => r.verdictRight).length} | ${misses.join('; ') || '—'} |`);
  }
  const right = results.filter((r) => r.verdictRight).length;
  lines.push(`| **all** | ${results.length} | ${right} (${Math.round((100 * right) / Math.max(1, results.length))}%) | |`);
  return lines.join('\n');
}

function detail(results: Result[]): string {
  const lines = ['| case | label | engine | forbidden recommended | expected fix | schema | contract |', '|---|---|---|---|---|---|---|'];
  for (const r of results) {
    lines.push(
      `| ${r.id} | ${r.label.verdict} | ${r.verdictRight ? '✓ ' : '✗ '}${said(r)} | ${r.forbidden.join(', ') || '—'} | ${r.expectedHit === null ? '' : r.expectedHit ? 'yes' : 'no'} | ${r.schemaErrors.length ? r.schemaErrors.join('; ') : 'ok'} | ${r.contractErrors.length ? r.contractErrors.join('; ') : 'ok'} |`,
    );
  }
  return lines.join('\n');
}

describe('corpus accuracy (test/fixtures/corpus)', () => {
  const ids = caseIds();
  let results: Result[] = [];

  beforeAll(async () => {
    for (const id of ids) results.push(await run(id));
    console.log(`\nCorpus accuracy — per class\n${table(results)}\n\nPer case\n${detail(results)}\n`);
  });

  it('has at least 32 labelled cases', () => {
    expect(ids.length).toBeGreaterThanOrEqual(32);
  });

  it('reads and diagnoses every case', () => {
    const failed = results.filter((r) => r.error !== null).map((r) => `${r.id}: ${r.error}`);
    expect(failed, failed.join('\n')).toEqual([]);
  });

  it(`gets at least ${MIN_ACCURACY * 100}% of verdicts right`, () => {
    const misses = results.filter((r) => !r.verdictRight).map((r) => `${r.id} (${r.label.class}): label ${r.label.verdict} — engine said ${said(r)}\n    label reason: ${r.label.reason}`);
    const accuracy = results.filter((r) => r.verdictRight).length / Math.max(1, results.length);
    expect(accuracy, `${misses.length} of ${results.length} verdicts wrong:\n${misses.join('\n')}`).toBeGreaterThanOrEqual(MIN_ACCURACY);
  });

  it('recommends no forbidden fix', () => {
    const bad = results.filter((r) => r.forbidden.length > 0).map((r) => `${r.id} (${r.label.class}, verdict ${r.json?.verdict.bottleneck}): ${r.forbidden.join(', ')}`);
    expect(bad, `forbidden fixes recommended:\n${bad.join('\n')}`).toEqual([]);
  });

  it('produces output valid against the diagnosis JSON schema', () => {
    const bad = results.filter((r) => r.json !== null && r.schemaErrors.length > 0).map((r) => `${r.id}: ${r.schemaErrors.join('; ')}`);
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('holds the CONTRACT §2 invariants', () => {
    const bad = results.filter((r) => r.json !== null && r.contractErrors.length > 0).map((r) => `${r.id}: ${r.contractErrors.join('; ')}`);
    expect(bad, `contract violations:\n${bad.join('\n')}`).toEqual([]);
  });
});
