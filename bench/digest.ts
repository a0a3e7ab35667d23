/**
 * Digest benchmark: `npx tsx bench/digest.ts [--scale N] [--updates N] [--rounds R]`.
 *
 * Generates the demo workspace with `scale` copies of the 16 scenario pipelines (default 32 → 512
 * pipelines, 8 weeks of billing each), loads it into the embedded DuckDB warehouse (not timed), then
 * times one full weekly digest (computeDigest: the four digest-*.sql statements + aggregation) R
 * times and prints the best and median wall time and the statement count per digest.
 * Target: one digest for ≥ 500 pipelines in < 3 s. Exits 1 when missed.
 */
import { generateDemoWorkspace } from '../src/demo/generate.js';
import { createDuckDbWarehouse } from '../src/demo/warehouse.js';
import { costBackendFromRaw } from '../src/digest/backend.js';
import { computeDigest, periodOfDays } from '../src/digest/compute.js';

const TARGET_MS = 3000;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(process.argv[i + 1]);
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback;
}

const scale = flag('scale', 32);
const updates = flag('updates', 24);
const rounds = flag('rounds', 3);

let t = performance.now();
const data = generateDemoWorkspace({ scale, updatesPerPipeline: updates });
const genMs = performance.now() - t;
const count = (f: (p: (typeof data.pipelines)[number]) => number) => data.pipelines.reduce((s, p) => s + f(p), 0);
console.log(`pipelines ${data.pipelines.length}, usage rows ${count((p) => p.usage.length)}, events ${count((p) => p.events.length)}, node_timeline rows ${count((p) => p.nodeTimeline.length)} (generated in ${(genMs / 1000).toFixed(1)} s)`);

t = performance.now();
const warehouse = await createDuckDbWarehouse(data);
const backend = costBackendFromRaw(warehouse, data.pipelines.map((p) => p.pipeline));
const pipelines = await backend.listPipelines();
console.log(`loaded into DuckDB in ${((performance.now() - t) / 1000).toFixed(1)} s (not timed below)`);

const times: number[] = [];
let statements = 0;
let last = null as Awaited<ReturnType<typeof computeDigest>> | null;
for (let r = 0; r < rounds; r++) {
  const before = warehouse.stats().statements;
  const t0 = performance.now();
  last = await computeDigest(warehouse, pipelines, { ...periodOfDays(new Date(data.now), 7), filter: null });
  times.push(performance.now() - t0);
  statements = warehouse.stats().statements - before;
}
await warehouse.close();

times.sort((a, b) => a - b);
const best = times[0]!;
const median = times[Math.floor(times.length / 2)]!;
console.log(`digest over ${last?.totals.pipelines} pipelines: best ${best.toFixed(0)} ms, median ${median.toFixed(0)} ms of ${rounds}; ${statements} SQL statements per digest; ${last?.opportunities.length} opportunities`);
const ok = median < TARGET_MS && data.pipelines.length >= 500;
console.log(`target < ${TARGET_MS} ms for ≥ 500 pipelines: ${ok ? 'met' : 'MISSED'}`);
process.exitCode = ok ? 0 : 1;
