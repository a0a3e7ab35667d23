/**
 * CPU on malformed or adversarial events.jsonl stays linear in its size (issue 15 item 7: "69 KB of
 * malformed lines costs 3.5 minutes of CPU" was reported and not reproduced; this guards it). Each
 * kind of hostile line is read at n and 8n bytes: linear is ~8× the CPU, quadratic ~64×.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/bundle/read.js';
import { DoctorError } from '../../src/errors.js';
import { T0, rawEvent, rawPipeline, sampleUpdate } from '../support/raw-events.js';

const root = mkdtempSync(join(tmpdir(), 'dlt-linear-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const BASE = sampleUpdate({ id: 'cur', start: T0 }).map((e) => JSON.stringify(e)).join('\n') + '\n';

/** hostile line number i of each kind (distinct names where a name could pile up) */
const KINDS: Record<string, (i: number) => string> = {
  'long message': (i) => JSON.stringify(rawEvent({ type: 'flow_progress', t: T0 + i, update: 'cur', message: 'm'.repeat(2000 + (i % 7)) })),
  'numeric strings': (i) => `${'9'.repeat(3000)}${i}`,
  'deep brackets': () => '['.repeat(3000),
  'deep objects': () => '{"a":'.repeat(1000),
  'unterminated string': (i) => `{"event_type": "${'x'.repeat(1500)}${i}`,
  'wrong types': (i) => JSON.stringify({ event_type: i, timestamp: { t: i }, origin: [i], details: 'not json {' }),
  'many flows': (i) => JSON.stringify(rawEvent({ type: 'flow_progress', t: T0 + i, update: 'cur', flow: `flow_${i}`, details: { flow_progress: { status: 'RUNNING', metrics: { num_output_rows: i } } } })),
  'many definitions': (i) => JSON.stringify(rawEvent({ type: 'flow_definition', t: T0 + i, update: 'cur', flow: `f_${i}`, details: { flow_definition: { output_dataset: `d_${i}`, input_datasets: [{ name: `d_${i - 1}` }] } } })),
  'many updates': (i) => JSON.stringify(rawEvent({ type: 'update_progress', t: T0 + i, update: `u_${i}`, details: { update_progress: { state: 'RUNNING' } } })),
  'many errors': (i) => JSON.stringify(rawEvent({ type: 'flow_progress', t: T0 + i, update: 'cur', flow: 'orders_silver', level: 'ERROR', error: { exceptions: [{ message: `boom ${i}`, class_name: 'java.lang.RuntimeException' }] } })),
};

function bundleOf(kind: (i: number) => string, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = kind(i);
    lines.push(l);
    size += l.length + 1;
  }
  const dir = join(root, `b${++n}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'pipeline.json'), JSON.stringify(rawPipeline()));
  writeFileSync(join(dir, 'events.jsonl'), BASE + lines.join('\n') + '\n');
  return dir;
}

async function cpuMs(dir: string): Promise<number> {
  const start = process.cpuUsage();
  try {
    await readBundle(dir);
  } catch (err) {
    if (!(err instanceof DoctorError)) throw err;
  }
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

describe('readBundle CPU on hostile events.jsonl', () => {
  // ~1 MiB of short garbage lines: before the cheap refusals (src/bundle/read.ts mayBeObject,
  // cannotBeEvent) every line cost a SyntaxError or zod's error path, 5.4 s and 3.4 s of CPU here
  for (const [name, line] of [['short non-JSON lines', 'x'], ['empty objects', '{}'], ['objects without event_type', '{"a":1}']] as const) {
    it(`1 MiB of ${name} costs well under a second of CPU`, async () => {
      const dir = bundleOf(() => line, 1 << 20);
      await cpuMs(dir);
      expect(Math.min(await cpuMs(dir), await cpuMs(dir))).toBeLessThan(1000);
    });
  }

  for (const [name, kind] of Object.entries(KINDS)) {
    it(`${name}: 69 KB well under a second, and 8× the input costs < 24× the CPU`, async () => {
      const small = bundleOf(kind, 69 * 1024);
      const large8 = bundleOf(kind, 8 * 69 * 1024);
      await cpuMs(small); // warm-up (JIT, module loading)
      const a = Math.min(await cpuMs(small), await cpuMs(small));
      expect(a).toBeLessThan(1000);
      const b = Math.min(await cpuMs(large8), await cpuMs(large8));
      // a floor of 10 ms keeps timer noise on tiny inputs from deciding the ratio
      expect(b / Math.max(a, 10)).toBeLessThan(24);
    });
  }
});
