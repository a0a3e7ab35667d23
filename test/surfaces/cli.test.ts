/**
 * The CLI as users run it: a child process `node bin/dlt-doctor.js …`, its exit code, stdout, stderr.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DiagnosisJsonSchema } from '../../src/diagnosis/diagnosis-schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundles = join(root, 'test', 'fixtures', 'bundles');

export function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin', 'dlt-doctor.js'), ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('dlt-doctor CLI', () => {
  it('size --gb 500 --complexity 1.5: the guide formula', async () => {
    const r = await cli(['size', '--gb', '500', '--complexity', '1.5', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.size).toMatchObject({ recommended_workers: 10, min_workers: 5, max_workers: 20, memory_per_worker_gb: 100 });
    expect(out.partitions).toBe(2000);
  });

  it('size as text fits 80 columns', async () => {
    const r = await cli(['size', '--gb', '500', '--complexity', '1.5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/recommended workers\s+10/);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
  });

  it('bad usage exits 2 with the reason and an example on stderr', async () => {
    for (const args of [['size', '--gb', 'lots'], ['frobnicate'], ['why-slow', 'a', 'b', '--bundle', bundles], ['why-slow', '--bundle']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toMatch(/\n\s+at /); // never a stack trace
    }
  });

  it('an unreadable bundle exits 3 with a one-line reason', async () => {
    const r = await cli(['why-slow', '--bundle', join(root, 'no', 'such', 'bundle')]);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toMatch(/^error: cannot read bundle/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a file that is no bundle exits 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlt-cli-'));
    const file = join(dir, 'x.txt');
    writeFileSync(file, 'hello');
    expect((await cli(['why-slow', '--bundle', file])).code).toBe(3);
  });

  it('without a bundle or credentials it diagnoses the demo workspace', async () => {
    const r = await cli(['why-slow', 'orders_silver', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { pipeline: { name: string }; verdict: { bottleneck: string } };
    expect(json.pipeline.name).toBe('orders_silver');
    expect(json.verdict.bottleneck).toBe('cpu');
  });

  it('an unreachable workspace exits 4 and names Databricks', async () => {
    const r = await cli(['why-slow', 'orders_silver'], { DATABRICKS_HOST: 'http://127.0.0.1:9', DATABRICKS_TOKEN: 'dapi-test-not-a-secret' });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Databricks/);
    expect(r.stderr).not.toContain('dapi-test-not-a-secret');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('bad configuration is reported once, in plain words, with exit 2', async () => {
    const r = await cli(['why-slow', 'orders_silver'], { DATABRICKS_HOST: 'https://adb-1.2.azuredatabricks.net' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DATABRICKS_TOKEN/);
  });

  it('help and --help on every command', async () => {
    const h = await cli(['help']);
    expect(h.code).toBe(0);
    for (const c of ['why-slow', 'pipelines', 'compare', 'size', 'rules', 'help', 'start']) {
      const r = await cli([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toContain(c);
      expect(h.stdout.includes(c) || c === 'start').toBe(true);
    }
    expect((await cli(['--help'])).code).toBe(0);
  }, 120_000);

  it('rules --json lists the catalog', async () => {
    const r = await cli(['rules', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.kind).toBe('rules');
    expect(out.rules.length).toBeGreaterThan(0);
  });

  it('why-slow --bundle --json validates against the diagnosis schema', async () => {
    const r = await cli(['why-slow', '--bundle', join(bundles, 'cpu-saturation'), '--json']);
    expect(r.code).toBe(0);
    const parsed = DiagnosisJsonSchema.safeParse(JSON.parse(r.stdout));
    expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
  });

  it('why-slow text leads with the verdict and fits 80 columns', async () => {
    const r = await cli(['why-slow', 'orders_silver', '--bundle', join(bundles, 'cpu-saturation')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    // the header (pipeline · update · state · duration) may wrap at 80 columns; the verdict comes right after it
    const verdict = lines.findIndex((l) => /^CPU-BOUND · confidence \d+%/.test(l));
    expect(verdict).toBeGreaterThanOrEqual(1);
    expect(verdict).toBeLessThanOrEqual(2);
    expect(r.stdout).toMatch(/\n {2}1\. /);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour when not a terminal
  });

  it('a wrong pipeline name in a bundle exits 3 with did-you-mean', async () => {
    const r = await cli(['why-slow', 'orders_silvr', '--bundle', join(bundles, 'cpu-saturation')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Did you mean `orders_silver`/);
  });

  it('a pipeline reference with terminal escapes is echoed without them, cut to 200 characters', async () => {
    const typed = `\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u001b[31m${'x'.repeat(5000)}`;
    const r = await cli(['why-slow', typed, '--bundle', join(bundles, 'cpu-saturation')]);
    expect(r.code).toBe(3);
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(r.stderr.split('\n')[0]!.length).toBeLessThan(300);
    expect(r.stderr).toContain('\uFFFD]8;;https://evil.example\uFFFDclick');
  });

  it('start serves the bot on the demo workspace until SIGTERM', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'dlt-start-')), 'db.sqlite');
    const child = spawn(process.execPath, [join(root, 'bin', 'dlt-doctor.js'), 'start'], {
      cwd: root,
      env: { ...process.env, PORT: '0', DLT_DOCTOR_DB: db },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address printed: ${out}`)), 100_000);
      child.stdout.on('data', () => {
        const m = /Open (http:\/\/localhost:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, source: 'demo', scheduler: expect.stringMatching(/^(leader|follower|starting)$/), database: 'reachable' });
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  }, 150_000);
});
