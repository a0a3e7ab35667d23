/**
 * Prints the verdict, confidence, summary and first recommendations for every bundle folder under
 * the given directories (default: test/fixtures/bundles). A developer's look at the engine:
 * `npx tsx scripts/verdicts.ts test/fixtures/bundles [more dirs…]`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readBundle } from '../src/bundle/read.js';
import { diagnose } from '../src/diagnosis/diagnose.js';

const dirs = process.argv.slice(2);
for (const root of dirs.length ? dirs : ['test/fixtures/bundles']) {
  for (const name of (await readdir(root)).sort()) {
    const dir = join(root, name);
    if (!(await stat(dir)).isDirectory()) continue;
    let want = '';
    let updateId: string | undefined;
    for (const f of ['expected.json', 'label.json']) {
      try {
        const j = JSON.parse(await readFile(join(dir, f), 'utf8')) as { verdict?: string; bottleneck?: string; update_id?: string };
        want = j.verdict ?? j.bottleneck ?? '';
        updateId = j.update_id ?? updateId;
      } catch {
        /* no label */
      }
    }
    try {
      const { evidence } = await readBundle(dir, updateId ? { updateId } : {});
      const d = diagnose(evidence);
      const ok = want === '' ? ' ' : d.verdict.bottleneck === want ? '✓' : '✗';
      console.log(`${ok} ${name.padEnd(34)} ${d.verdict.bottleneck.padEnd(8)} want ${want.padEnd(8)} ${d.verdict.confidence.toFixed(2)}  ${d.verdict.summary}`);
      console.log(`    fixes: ${d.recommendations.slice(0, 4).map((r) => r.id).join(', ')} | findings: ${d.findings.map((f) => `${f.rule}:${f.severity[0]}${f.strength}`).join(' ')}`);
    } catch (err) {
      console.log(`! ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
