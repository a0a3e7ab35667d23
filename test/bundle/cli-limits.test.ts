/**
 * `why-slow --bundle` on hostile bundles, through the real CLI (bin/dlt-doctor.js): exit 3, exactly
 * one line on stderr naming the limit, no stack trace; the limits come from DLT_DOCTOR_BUNDLE_*.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { deflateRepeated, rawZip } from '../support/bomb.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = join(root, 'test', 'fixtures', 'bundles', 'cpu-saturation');
const tmp = mkdtempSync(join(tmpdir(), 'dlt-cli-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin', 'dlt-doctor.js'), ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', COLUMNS: '80', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function expectOneLine(r: { code: number; stderr: string }, line: RegExp) {
  expect(r.code).toBe(3);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(r.stderr).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
}

describe('why-slow --bundle on hostile bundles', () => {
  it('a valid bundle with one over-long line: exit 3 under DLT_DOCTOR_BUNDLE_MAX_LINE_BYTES, read without it', async () => {
    const dir = join(tmp, 'long-line');
    cpSync(fixture, dir, { recursive: true });
    appendFileSync(join(dir, 'events.jsonl'), `${'x'.repeat(64 * 1024)}\n`);
    expect((await cli(['why-slow', '--bundle', dir])).code).toBe(0);
    expectOneLine(await cli(['why-slow', '--bundle', dir], { DLT_DOCTOR_BUNDLE_MAX_LINE_BYTES: '16384' }), /^error: events\.jsonl has a line over 16 KiB; raise DLT_DOCTOR_BUNDLE_MAX_LINE_BYTES$/);
  });

  it('a zip bomb: exit 3 with one line, also when the path is long', async () => {
    const deep = join(tmp, 'a-rather-long-folder-name-so-the-message-passes-eighty-columns');
    cpSync(fixture, deep, { recursive: true });
    const bomb = join(deep, 'bomb.zip');
    const pipeline = Buffer.from('{"pipeline_id": "p", "name": "bomb"}');
    writeFileSync(bomb, rawZip([{ name: 'pipeline.json', deflated: deflateRepeated(pipeline, 1), declaredSize: pipeline.length }, { name: 'events.jsonl', deflated: deflateRepeated(Buffer.alloc(1 << 20, 'x'), 64), declaredSize: 64 << 20 }]));
    expectOneLine(await cli(['why-slow', '--bundle', bomb], { DLT_DOCTOR_BUNDLE_MAX_BYTES: String(8 << 20) }), /^error: bundle declares over 8 MiB; raise DLT_DOCTOR_BUNDLE_MAX_BYTES$/);
    const lying = join(deep, 'lying.zip');
    writeFileSync(lying, rawZip([{ name: 'pipeline.json', deflated: deflateRepeated(pipeline, 1), declaredSize: pipeline.length }, { name: 'events.jsonl', deflated: deflateRepeated(Buffer.alloc(1 << 20, 'x'), 64), declaredSize: 1 << 20 }]));
    expectOneLine(await cli(['why-slow', '--bundle', lying]), /^error: events\.jsonl inflates to more than the 1048576 bytes its zip entry declares$/);
  });

  it.runIf(process.platform === 'linux')('a FIFO passed as the bundle: exit 3 at once, the reason on one line however long the path', async () => {
    const fifo = join(tmp, 'a-rather-long-folder-name-so-the-message-passes-eighty-columns', 'bundle.zip');
    mkdirSync(dirname(fifo), { recursive: true });
    execFileSync('mkfifo', [fifo]);
    const r = await cli(['why-slow', '--bundle', fifo]);
    expect(`error: ${fifo} is not a regular file or a folder`.length).toBeGreaterThan(80);
    expectOneLine(r, new RegExp(`^error: ${fifo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a regular file or a folder$`));
  });

  it('a bad limit value is a configuration error (exit 2) naming the variable', async () => {
    const r = await cli(['why-slow', '--bundle', fixture], { DLT_DOCTOR_BUNDLE_MAX_BYTES: 'lots' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DLT_DOCTOR_BUNDLE_MAX_BYTES: must be a whole number/);
  });
});
