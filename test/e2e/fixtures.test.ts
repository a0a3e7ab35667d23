/**
 * Every fixture bundle through `why-slow --bundle … --json` (the CLI's own entry, in process):
 * the expected bottleneck, healthy stays healthy, damaged still diagnoses, broken bundles exit 3.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DiagnosisJsonSchema, type DiagnosisJson } from '../../src/diagnosis/diagnosis-schema.js';
import { runCli } from '../../src/surfaces/cli/main.js';

const bundles = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'bundles');
const names = readdirSync(bundles).sort();
const withExpected = names.filter((n) => existsSync(join(bundles, n, 'expected.json')));

async function whySlow(name: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['why-slow', '--bundle', join(bundles, name), '--json'], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: false,
    columns: 80,
    env: {},
  });
  return { code, stdout, stderr };
}

async function diagnosisOf(name: string): Promise<DiagnosisJson> {
  const r = await whySlow(name);
  expect(r.code, r.stderr).toBe(0);
  return DiagnosisJsonSchema.parse(JSON.parse(r.stdout));
}

describe('fixture bundles', () => {
  it('there are fixtures with expectations', () => expect(withExpected.length).toBeGreaterThan(5));

  it.each(withExpected)('%s: the expected bottleneck', async (name) => {
    const expected = JSON.parse(readFileSync(join(bundles, name, 'expected.json'), 'utf8')) as { bottleneck: string; pipeline?: string; damaged_lines?: number; update_state?: string };
    const d = await diagnosisOf(name);
    expect(d.verdict.bottleneck).toBe(expected.bottleneck);
    if (expected.pipeline) expect(d.pipeline.name).toBe(expected.pipeline);
    if (expected.bottleneck === 'none' && expected.update_state === 'FAILED') {
      // a failure that is not performance (permissions, schema, …): a critical finding names it, and no compute or Spark change is proposed
      expect(d.findings.some((f) => f.severity === 'critical')).toBe(true);
      expect(d.recommendations.filter((r) => r.change && (r.change.target === 'cluster' || r.change.target === 'spark_conf'))).toEqual([]);
    } else if (expected.bottleneck === 'none') {
      expect(d.findings.filter((f) => f.severity === 'critical')).toEqual([]);
    } else {
      expect(d.recommendations[0]?.category).toBe(expected.bottleneck);
      expect(d.verdict.confidence).toBeGreaterThan(0);
    }
    if (expected.damaged_lines !== undefined) expect(d.notes.join('\n')).toContain(`skipped ${expected.damaged_lines} malformed`);
  });

  it.runIf(names.includes('damaged'))('damaged: still a diagnosis, with the skipped count in notes', async () => {
    const d = await diagnosisOf('damaged');
    expect(d.notes.some((n) => /skipped \d+ malformed lines/.test(n))).toBe(true);
  });

  it.runIf(names.includes('no-pipeline'))('no-pipeline: exit 3 with the reason', async () => {
    const r = await whySlow('no-pipeline');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/pipeline\.json/);
  });

  it.runIf(names.includes('empty-events'))('empty-events: exit 3 "no events"', async () => {
    const r = await whySlow('empty-events');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no events/);
  });
});
