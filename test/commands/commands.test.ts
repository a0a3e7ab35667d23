import { describe, expect, it } from 'vitest';
import { COMMANDS, runCommandText } from '../../commands/index.js';
import type { Reply } from '../../commands/types.js';
import { fakeClusterSamples, fakeEvidence, fakeFlow, fakeHistory, fakeNodeSamples, fakeUpdate, T0 } from '../support/fake-evidence.js';
import { ctxWith, FakeSource } from './fake-source.js';

const latest = fakeEvidence({ update: fakeUpdate({ id: 'upd-b', durationS: 1800 }), history: fakeHistory(5, 900), flows: [fakeFlow({ durationS: 1200 })] });
const earlier = fakeEvidence({ update: fakeUpdate({ id: 'upd-prev-1', startedAt: T0 - 86_400_000 }), clusterResources: fakeClusterSamples({ numExecutors: 6 }) });
const source = new FakeSource([latest, earlier]);
const run = (text: string) => runCommandText(text, ctxWith(source));
function as<K extends Reply['kind']>(r: Reply, kind: K): Extract<Reply, { kind: K }> {
  if (r.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(r)}`);
  return r as Extract<Reply, { kind: K }>;
}

describe('registry', () => {
  it('every command has a usage and an example that parses', async () => {
    for (const c of COMMANDS) {
      expect(c.meta.usage.startsWith(c.meta.name)).toBe(true);
      expect(c.meta.examples.length).toBeGreaterThan(0);
    }
  });
  it('unknown command → usage error with a suggestion', async () => {
    const r = as(await run('/dlt why-slw orders_silver'), 'error');
    expect(r.code).toBe('BAD_USAGE');
    expect(r.suggestions).toEqual(['why-slow']);
    expect(r.usage).toMatch(/example:/);
  });
  it('garbage never throws', async () => {
    for (const text of ['"', '--', '/dlt', '\u0000\u0001', 'why-slow --update', 'size --gb', '💥 💥', 'why-slow a b c']) {
      const r = await run(text);
      expect(['error', 'help', 'diagnosis']).toContain(r.kind);
    }
  });
  it('no command → help', async () => {
    expect((await run('/dlt')).kind).toBe('help');
  });
  it('a usage error gives the usage of the subcommand typed, not the whole list (issue 17 item 8)', async () => {
    const mute = as(await run('alerts mute'), 'error');
    expect(mute.usage).toBe('alerts mute <pipeline|*> <duration>\nexample: alerts mute orders_silver 2h');
    const now = as(await run('digest now --days x'), 'error');
    expect(now.usage).toBe('digest now [--filter F] [--days N]\nexample: digest now');
    // an unknown subcommand, or a command whose first word is a pipeline: the whole usage
    const unknown = as(await run('alerts frob'), 'error');
    expect(unknown.usage).toContain('alerts on <pipeline|*>');
    expect(unknown.usage).toContain('alerts list');
    const ws = as(await run('why-slow orders_silver --bogus'), 'error');
    expect(ws.usage).toMatch(/^why-slow <pipeline>/);
    // a word that merely starts like a subcommand ("onboarding") picks none
    expect(as(await run('alerts onboarding'), 'error').usage).toContain('alerts list');
  });
  it('--help on a command gives its usage', async () => {
    const r = as(await run('size --help'), 'help');
    expect(r.command?.name).toBe('size');
  });
});

describe('why-slow', () => {
  it('diagnoses the latest update and lists durations oldest first', async () => {
    const r = as(await run('why-slow orders_silver'), 'diagnosis');
    expect(r.diagnosis.update.id).toBe('upd-b');
    expect(r.pipelineUrl).toMatch(/updates\/upd-b$/);
    expect(r.durations.at(-1)).toMatchObject({ updateId: 'upd-b', durationS: 1800 });
    expect(r.durations.map((d) => d.startedAt)).toEqual([...r.durations.map((d) => d.startedAt)].sort((a, b) => a - b));
  });
  it('passes --update to the source', async () => {
    const r = as(await run('why-slow orders_silver --update upd-prev-1'), 'diagnosis');
    expect(r.diagnosis.update.id).toBe('upd-prev-1');
  });
  it('an unknown pipeline becomes an error reply with did-you-mean', async () => {
    const r = as(await run('why-slow orders_silvr'), 'error');
    expect(r.code).toBe('PIPELINE_NOT_FOUND');
    expect(r.hint).toMatch(/orders_silver/);
  });
  it('the only pipeline of a source needs no name', async () => {
    expect((await run('why-slow')).kind).toBe('diagnosis');
  });
  it('rejects unknown options and extra arguments', async () => {
    expect(as(await run('why-slow orders_silver --frobnicate 1'), 'error').message).toMatch(/unknown option --frobnicate/);
    expect(as(await run('why-slow a b'), 'error').code).toBe('BAD_USAGE');
    expect(as(await run('why-slow orders_silver --update'), 'error').message).toMatch(/--update/);
  });
});

describe('pipelines', () => {
  it('lists with a filter', async () => {
    expect(as(await run('pipelines orders'), 'pipelines').pipelines).toHaveLength(1);
    expect(as(await run('pipelines zzz'), 'pipelines')).toMatchObject({ pipelines: [], filter: 'zzz' });
  });
});

describe('compare', () => {
  it('compares the latest with the previous completed update', async () => {
    const r = as(await run('compare orders_silver'), 'compare');
    expect(r.a.update.id).toBe('upd-prev-1');
    expect(r.b.update.id).toBe('upd-b');
    expect(r.flows[0]).toMatchObject({ name: 'main.sales.orders_silver', a: { rowsPerS: 16_666.7 }, b: { rowsPerS: 10_000 } });
    expect(r.settings).toContainEqual({ key: 'observed.peak_executors', a: '6', b: '4' });
  });
  it('two explicit ids', async () => {
    const r = as(await run('compare orders_silver upd-prev-1 upd-b'), 'compare');
    expect([r.a.update.id, r.b.update.id]).toEqual(['upd-prev-1', 'upd-b']);
  });
  it('the same update twice is a usage error', async () => {
    expect(as(await run('compare orders_silver upd-b upd-b'), 'error').code).toBe('BAD_USAGE');
  });
});

describe('size', () => {
  it('applies guide §3.2 and §7.2 exactly', async () => {
    const r = as(await run('size --gb 500 --complexity 1.5'), 'size');
    expect(r.size).toMatchObject({ recommended_workers: 10, min_workers: 5, max_workers: 20, memory_per_worker_gb: 100 });
    expect(r.partitions).toBe(2000);
    expect(r.current).toBeNull();
  });
  it('defaults complexity to 1', async () => {
    const r = as(await run('size --gb=150'), 'size');
    expect(r.input.complexity).toBe(1);
    expect(r.size.recommended_workers).toBe(2);
  });
  it('validates numbers', async () => {
    for (const bad of ['size --gb abc', 'size --gb 0', 'size --gb -5', 'size --gb 10 --complexity 99', 'size', 'size --gb']) {
      expect(as(await run(bad), 'error').code, bad).toBe('BAD_USAGE');
    }
  });
  it('against a pipeline: current settings, measured CPU, volume from output bytes', async () => {
    const e = fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 40 }), flows: [fakeFlow({ outputBytes: 300 * 1024 ** 3 })] });
    const r = as(await runCommandText('size orders_silver', ctxWith(new FakeSource([e]))), 'size');
    expect(r.input).toEqual({ gb: 300, complexity: 1, pipeline: 'orders_silver' });
    expect(r.current).toEqual({ minWorkers: 2, maxWorkers: 8, cpuAvg: 40 });
    expect(r.size.recommended_workers).toBe(4);
  });
});

describe('rules and help', () => {
  it('rules lists the catalog, filterable by category', async () => {
    const all = as(await run('rules'), 'rules').rules;
    expect(all.length).toBeGreaterThan(0);
    const scaling = as(await run('rules scaling'), 'rules').rules;
    expect(scaling.every((r) => r.category === 'scaling' || r.id.includes('scaling'))).toBe(true);
  });
  it('help for one command and for an unknown one', async () => {
    expect(as(await run('help compare'), 'help').command?.usage).toBe('compare <pipeline> [A B] · compare <pipeline> --baseline [B]');
    expect(as(await run('help nope'), 'error').code).toBe('BAD_USAGE');
  });
});
