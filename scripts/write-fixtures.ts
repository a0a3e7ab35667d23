/**
 * `npm run fixtures`: writes test/fixtures/bundles/<scenario>/ for every demo scenario (src/demo/generate.ts),
 * plus the `damaged`, `no-pipeline` and `empty-events` bundles. Deterministic: rerunning rewrites the same bytes.
 * Only those directories are replaced; any other bundle under test/fixtures/bundles is left alone.
 *
 * Each scenario bundle holds the events of the pipeline's last 12 updates, node_timeline rows of those
 * updates' clusters, 30 days of usage, the list prices of its SKUs and expected.json {"bottleneck", "pipeline",
 * "update_state"} (the state of the update the diagnosis is about).
 * Some bundles store `details`/`origin` as JSON strings (as event_log() returns `details`), the others as
 * objects, so readers are exercised on both.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemoWorkspace, mulberry32, type DemoPipeline } from '../src/demo/generate.js';
import { writeBundle } from '../src/bundle/write.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUT = join(ROOT, 'test/fixtures/bundles');
const UPDATES_IN_BUNDLE = 12;
const USAGE_DAYS = 30;
/** scenarios whose events carry `details` and `origin` as JSON strings */
const STRING_FORM = new Set(['python-udf', 'io', 'mv-full-recompute', 'autoscale-ceiling', 'healthy', 'over-provisioned', 'full-refresh', 'gc-thrash', 'legacy-ramp-up']);
/** older updates keep their INFO/WARN/ERROR rows (phases, flow totals, errors) but not METRICS rows, to keep fixtures small */
const FULL_DETAIL_UPDATES = 6;

type Row = Record<string, unknown>;

function originUpdate(e: Row): string | null {
  const o = e.origin as Row | undefined;
  return typeof o?.update_id === 'string' ? o.update_id : null;
}

function bundleParts(p: DemoPipeline, now: number, stringForm: boolean) {
  const keep = p.updates.slice(0, UPDATES_IN_BUNDLE);
  const ids = new Set(keep.map((u) => String(u.update_id)));
  const detailed = new Set(keep.slice(0, FULL_DETAIL_UPDATES).map((u) => String(u.update_id)));
  const oldest = Math.min(...keep.map((u) => Number(u.creation_time)));
  const clusters = new Set(keep.map((u) => u.cluster_id).filter((c): c is string => typeof c === 'string'));
  // events of the kept updates, plus pipeline-level rows (user_action) from the same period
  const events = p.events
    .filter((e) => {
      const u = originUpdate(e);
      if (!u) return Date.parse(String(e.timestamp)) >= oldest - 60_000;
      return ids.has(u) && (detailed.has(u) || e.level !== 'METRICS');
    })
    .map((e) => (stringForm ? { ...e, origin: JSON.stringify(e.origin), details: JSON.stringify(e.details) } : e));
  const since = now - USAGE_DAYS * 86_400_000;
  const usage = p.usage.filter((r) => Date.parse(String(r.usage_start_time)) >= since);
  const nodeTimeline = p.nodeTimeline.filter((r) => clusters.has(String(r.cluster_id)));
  return { pipeline: p.pipeline, updates: keep, events, nodeTimeline: nodeTimeline.length > 0 ? nodeTimeline : null, usage };
}

/** ~5% of lines replaced by garbage: truncated JSON, binary junk, empty objects, wrong types. */
function damage(lines: string[], seed: number): string[] {
  const rnd = mulberry32(seed);
  const kinds = [
    (l: string) => l.slice(0, Math.max(1, Math.floor(l.length * 0.4))),
    () => '\u0000\u0001\u00ff\u00fePK\u0003\u0004\u001b[31m\ufffd\ufffd',
    () => '{}',
    (l: string) => {
      const row = JSON.parse(l) as Row;
      return JSON.stringify({ ...row, timestamp: 12, event_type: 42 });
    },
    () => '[1, 2, 3]',
    () => 'null',
    (l: string) => {
      const row = JSON.parse(l) as Row;
      return JSON.stringify({ ...row, details: '{"flow_progress": {"status": ', origin: 7 });
    },
  ];
  return lines.map((l, i) => {
    if (i === 0 || rnd() >= 0.05) return l;
    const kind = kinds[Math.floor(rnd() * kinds.length)] ?? kinds[0]!;
    return kind(l);
  });
}

async function main(): Promise<void> {
  const ws = generateDemoWorkspace();
  // only the bundles this script writes are replaced: other fixtures under OUT (hand-written corpora) stay
  for (const dir of [...ws.pipelines.map((p) => p.scenario), 'damaged', 'no-pipeline', 'empty-events']) await rm(join(OUT, dir), { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const summary: string[] = [];

  for (const p of ws.pipelines) {
    const parts = bundleParts(p, ws.now, STRING_FORM.has(p.scenario));
    const skus = new Set(parts.usage.map((r) => String(r.sku_name)));
    const dir = join(OUT, p.scenario);
    const stats = await writeBundle(dir, { ...parts, listPrices: ws.listPrices.filter((r) => skus.has(String(r.sku_name))) });
    await writeFile(join(dir, 'expected.json'), `${JSON.stringify({ bottleneck: p.expected, pipeline: p.pipeline.name, update_state: p.updates[0]?.state }, null, 2)}\n`);
    summary.push(`${p.scenario.padEnd(22)} ${String(p.pipeline.name).padEnd(26)} ${p.expected.padEnd(9)} events=${stats.events} nodes=${stats.nodeTimeline} usage=${stats.usage}`);
  }

  // damaged: orders_silver with ~5% garbage lines in events.jsonl
  const orders = ws.pipelines.find((p) => p.scenario === 'cpu-saturation');
  if (!orders) throw new Error('cpu-saturation scenario missing');
  const parts = bundleParts(orders, ws.now, false);
  const damagedDir = join(OUT, 'damaged');
  await writeBundle(damagedDir, { ...parts, listPrices: ws.listPrices });
  const lines = parts.events.map((e) => JSON.stringify(e));
  const damaged = damage(lines, 7);
  const changed = damaged.filter((l, i) => l !== lines[i]).length;
  await writeFile(join(damagedDir, 'events.jsonl'), `${damaged.join('\n')}\n`);
  await writeFile(join(damagedDir, 'expected.json'), `${JSON.stringify({ bottleneck: orders.expected, pipeline: orders.pipeline.name, damaged_lines: changed }, null, 2)}\n`);
  summary.push(`damaged: ${changed} of ${lines.length} event lines garbled`);

  // no-pipeline: events.jsonl only
  const noPipeline = join(OUT, 'no-pipeline');
  await mkdir(noPipeline, { recursive: true });
  const lastThree = new Set(orders.updates.slice(0, 3).map((u) => String(u.update_id)));
  const recentLines = parts.events.filter((e) => lastThree.has(originUpdate(e) ?? '')).map((e) => JSON.stringify(e));
  await writeFile(join(noPipeline, 'events.jsonl'), `${recentLines.join('\n')}\n`);

  // empty-events: pipeline.json and an empty events.jsonl
  const empty = join(OUT, 'empty-events');
  await mkdir(empty, { recursive: true });
  await writeFile(join(empty, 'pipeline.json'), `${JSON.stringify(orders.pipeline, null, 2)}\n`);
  await writeFile(join(empty, 'events.jsonl'), '');

  console.log(summary.join('\n'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
