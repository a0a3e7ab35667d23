/**
 * The "done when" from the terminal, with no account (the CLI's in-process demo workspace):
 * `benchmark orders_silver --iterations 2 --json` and `ab-test orders_silver enable-photon
 * --iterations 2 --json` print the contract §6 shapes with positive throughputs, progress goes to
 * stderr, and no clone is left in the store or the workspace; bad flags are usage errors (exit 2).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/surfaces/cli/main.js';
import { openDb } from '../../src/store/db.js';
import { sqliteSql } from '../../src/store/sql/sqlite.js';
import { createExperimentStore } from '../../src/store/experiments.js';

const dbPath = join(mkdtempSync(join(tmpdir(), 'dlt-exp-cli-')), 'bot.sqlite');
async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, columns: 100, env: {} }, { DLT_DOCTOR_DB: dbPath });
  return { code, stdout, stderr };
}

describe('benchmark and ab-test in the terminal', () => {
  it('benchmark --json: dlt-doctor/benchmark@1 with positive throughputs, clone deleted', async () => {
    const r = await cli(['benchmark', 'orders_silver', '--iterations', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown> & { iterations: Record<string, number>[]; experiment: { state: string; cleanup: { deleted: string[]; left: string[] } } };
    expect(j.schema).toBe('dlt-doctor/benchmark@1');
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['schema', 'pipeline_id', 'iterations', 'avg_duration', 'avg_throughput']));
    expect(j.iterations).toHaveLength(2);
    for (const i of j.iterations) {
      expect(Object.keys(i)).toEqual(expect.arrayContaining(['iteration', 'update_id', 'duration_seconds', 'records_processed', 'throughput_records_per_sec', 'cluster_dbus', 'dollars']));
      expect(i.throughput_records_per_sec).toBeGreaterThan(0);
    }
    expect(j.avg_throughput).toBeGreaterThan(0);
    expect(j.experiment.state).toBe('completed');
    expect(j.experiment.cleanup.left).toEqual([]);
    expect(r.stderr).toMatch(/orders_silver: 1\/2 running/);
  }, 60_000);

  it('ab-test enable-photon --json: dlt-doctor/ab-test@1, and the text form reads as a table and a decision', async () => {
    const r = await cli(['ab-test', 'orders_silver', 'enable-photon', '--iterations', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown> & { results_a: { avg_throughput: number }; results_b: { avg_throughput: number } };
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['schema', 'pipeline_id', 'config_a', 'config_b', 'results_a', 'results_b', 'throughput_improvement', 'duration_improvement', 'cost_per_million_records_a', 'cost_per_million_records_b', 'significant', 'recommendation']));
    expect(j.schema).toBe('dlt-doctor/ab-test@1');
    expect(j.results_a.avg_throughput).toBeGreaterThan(0);
    expect(j.results_b.avg_throughput).toBeGreaterThan(j.results_a.avg_throughput);
    const t = await cli(['ab-test', 'orders_silver', 'photon=true', '--iterations', '2']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^A\/B test on orders_silver: apply it/);
    expect(t.stdout).toMatch(/run\s+state\s+duration\s+records\s+throughput\s+cost/);
    expect(t.stdout).toMatch(/Clones deleted\./);
  }, 60_000);

  it('every clone the runs made is recorded as deleted; nothing is running', async () => {
    const db = openDb(dbPath);
    const store = createExperimentStore(sqliteSql(db));
    expect(await store.running()).toEqual([]);
    expect(await store.liveClones()).toEqual([]);
    expect((await store.recent()).map((e) => e.state)).toEqual(['completed', 'completed', 'completed']);
    db.close();
  });

  it('`benchmark list` shows the runs newest first, with how each ended and the A/B decision', async () => {
    const r = await cli(['benchmark', 'list', '--json']);
    expect(r.code).toBe(0);
    const lines = (JSON.parse(r.stdout) as { text: string }).text.split('\n');
    expect(lines[0]).toBe('Recent benchmarks and A/B tests (newest first):');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^[0-9a-f]{6}  ab-test orders_silver · completed · .* UTC — Apply it: /);
    expect(lines[3]).toMatch(/^[0-9a-f]{6}  benchmark orders_silver · completed · .* — avg [\d,]+ records\/s$/);
  }, 60_000);

  it('bad flags and a missing change are usage errors (exit 2) that start nothing', async () => {
    for (const args of [['benchmark', 'orders_silver', '--iterations', '99'], ['benchmark', 'orders_silver', '--max-dollars', '-5'], ['ab-test', 'orders_silver'], ['ab-test', 'orders_silver', 'continuous=true'], ['ab-test', 'orders_silver', 'enable-photon', 'photon=true'], ['benchmark', 'cancel']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
    }
    const idle = await cli(['ab-test', 'cancel', 'orders_silver']);
    expect(idle.code).toBe(2);
    expect(idle.stderr).toMatch(/No experiment is running on orders_silver/);
    const unknown = await cli(['benchmark', 'no_such_pipeline_xyz']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/No pipeline named/);
  }, 60_000);
});
