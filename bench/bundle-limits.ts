/**
 * Hostile-bundle benchmark: `npx tsx bench/bundle-limits.ts [--keep]`.
 *
 * Builds hostile bundles at the DEFAULT limits (src/bundle/limits.ts) and runs the real CLI,
 * `node bin/dlt-doctor.js why-slow --bundle PATH`, on each under `/usr/bin/time -v` (GNU time; its
 * "Maximum resident set size" is the child's peak RSS). Targets, per bundle: exit 3, exactly one
 * line on stderr and no stack trace, within 60 s, peak RSS < 1 GiB. Exits 1 when one is missed.
 *
 *   zip bomb            3.5 GiB of one byte in events.jsonl, ~3.6 MB on disk, sizes declared
 *   zip bomb, lying     the same data, its entry declaring 1 MiB
 *   zip, 900 MiB line   within the byte budget, so it is inflated until the line limit
 *   tar.gz bomb         four 1 GiB junk entries: inflated and counted until the byte budget
 *   folder, 600 MB line events.jsonl of 600 MiB without a newline, on disk
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRepeated, rawZip, tarGzBomb } from '../test/support/bomb.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1 << 20;
const TARGET_S = 60;
const TARGET_RSS_MB = 1024;
const PIPELINE = JSON.stringify({ pipeline_id: '7d3f5c1e-0b2a-4c9d-8e6f-123456789abc', name: 'hostile', state: 'IDLE', spec: {} });

function build(dir: string): { name: string; path: string }[] {
  const pipelineEntry = { name: 'pipeline.json', deflated: deflateRepeated(Buffer.from(PIPELINE), 1), declaredSize: PIPELINE.length };
  const x = Buffer.alloc(MiB, 'x');
  const bomb = deflateRepeated(x, 3584);
  const out: { name: string; path: string }[] = [];
  const add = (name: string, file: string, data: Buffer) => {
    writeFileSync(join(dir, file), data);
    out.push({ name, path: join(dir, file) });
  };
  add('zip bomb (3.5 GiB, declared)', 'bomb.zip', rawZip([pipelineEntry, { name: 'events.jsonl', deflated: bomb, declaredSize: 3584 * MiB }]));
  add('zip bomb (3.5 GiB, declares 1 MiB)', 'bomb-lying.zip', rawZip([pipelineEntry, { name: 'events.jsonl', deflated: bomb, declaredSize: MiB }]));
  add('zip, one 900 MiB line', 'line.zip', rawZip([pipelineEntry, { name: 'events.jsonl', deflated: deflateRepeated(x, 900), declaredSize: 900 * MiB }]));
  add('tar.gz bomb (4 × 1 GiB entries)', 'bomb.tar.gz', tarGzBomb({ 'pipeline.json': PIPELINE }, { entries: 4, chunk: Buffer.alloc(MiB, 0), times: 1024 }));
  const folder = join(dir, 'line');
  mkdirSync(folder);
  writeFileSync(join(folder, 'pipeline.json'), PIPELINE);
  const fd = openSync(join(folder, 'events.jsonl'), 'w');
  for (let i = 0; i < 600; i++) writeSync(fd, x);
  closeSync(fd);
  out.push({ name: 'folder, one 600 MiB line', path: folder });
  return out;
}

function sizeOf(path: string): string {
  const st = statSync(path);
  const bytes = st.isDirectory() ? statSync(join(path, 'events.jsonl')).size : st.size;
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}

function main(): void {
  const timeBin = '/usr/bin/time';
  if (!existsSync(timeBin)) {
    console.error('needs GNU time at /usr/bin/time (apt-get install time) to measure the peak RSS');
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dlt-hostile-'));
  let ok = true;
  try {
    const cases = build(dir);
    console.log(`node ${process.version}; default limits; CLI = node bin/dlt-doctor.js why-slow --bundle PATH`);
    for (const c of cases) {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      for (const k of Object.keys(env)) if (k.startsWith('DLT_DOCTOR_BUNDLE_')) delete env[k];
      const r = spawnSync(timeBin, ['-v', process.execPath, join(ROOT, 'bin', 'dlt-doctor.js'), 'why-slow', '--bundle', c.path], { cwd: ROOT, encoding: 'utf8', env, timeout: 5 * 60_000 });
      const stderr = r.stderr ?? '';
      const split = stderr.indexOf('\tCommand being timed:');
      const own = (split >= 0 ? stderr.slice(0, split) : stderr).split('\n').filter((l) => l !== '' && !l.startsWith('Command exited with non-zero status'));
      const report = split >= 0 ? stderr.slice(split) : '';
      const rssMb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] ?? NaN) / 1024;
      const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(report);
      const wallS = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
      const cpuS = Number(/User time \(seconds\): ([\d.]+)/.exec(report)?.[1] ?? NaN) + Number(/System time \(seconds\): ([\d.]+)/.exec(report)?.[1] ?? NaN);
      const exit = /Exit status: (\d+)/.exec(report)?.[1] ?? String(r.status);
      const pass = exit === '3' && own.length === 1 && !/\n\s+at |node:internal/.test(stderr) && wallS < TARGET_S && rssMb < TARGET_RSS_MB;
      ok &&= pass;
      console.log(`${c.name.padEnd(36)} ${sizeOf(c.path).padStart(10)}  exit ${exit}  wall ${wallS.toFixed(1)} s  CPU ${cpuS.toFixed(1)} s  peak RSS ${Math.round(rssMb)} MB  ${pass ? 'ok' : 'MISS'}`);
      console.log(`    stderr (${own.length} line${own.length === 1 ? '' : 's'}): ${own.join(' | ')}`);
    }
    console.log(`targets: exit 3, one stderr line, no stack, < ${TARGET_S} s, peak RSS < ${TARGET_RSS_MB} MB`);
    console.log(ok ? 'PASS' : 'FAIL');
    if (!ok) process.exitCode = 1;
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

main();
