/**
 * Bad input, property-based (fast-check, bounded runs): the command parser and runner, the bundle
 * reader, quote-laden pipeline names on their way to SQL, and wrong types in every field of the
 * Databricks REST responses. Each gives a clear error or a partial result; nothing throws past
 * the surface.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import { parseCommandText } from '../../commands/parse.js';
import type { Reply } from '../../commands/types.js';
import { readBundle } from '../../src/bundle/read.js';
import { createWorkspaceSource } from '../../src/databricks/collect.js';
import { createRestClient } from '../../src/databricks/rest.js';
import type { SqlParams, Warehouse } from '../../src/databricks/sql.js';
import { generateDemoWorkspace, type DemoWorkspaceData } from '../../src/demo/generate.js';
import { startDemoRestServer, type DemoRestServer } from '../../src/demo/rest-server.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';
import { DoctorError } from '../../src/errors.js';
import type { Source } from '../../src/source.js';

const REPLY_KINDS = new Set(['diagnosis', 'pipelines', 'compare', 'rules', 'size', 'help', 'error', 'text', 'digest', 'cost', 'apply-preview']);
/** error codes that name what went wrong; INTERNAL would mean an input crashed the code */
const CLEAR_CODES = new Set(['BAD_USAGE', 'BAD_BUNDLE', 'NO_EVENTS', 'PIPELINE_NOT_FOUND', 'UPDATE_NOT_FOUND', 'SOURCE_UNAVAILABLE', 'PERMISSION_DENIED', 'CONFLICT', 'CONFIG']);

const TOKEN = 'property-test-token';
const tmp = mkdtempSync(join(tmpdir(), 'dlt-property-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** a source that knows no pipeline: commands get as far as resolving, quickly */
const emptySource: Source = {
  kind: 'demo',
  pipelineUrl: () => null,
  listPipelines: async () => [],
  resolvePipeline: async (ref) => {
    throw new DoctorError('PIPELINE_NOT_FOUND', `No pipeline named or with id "${ref.slice(0, 40)}".`);
  },
  collect: async (ref) => {
    throw new DoctorError('PIPELINE_NOT_FOUND', `No pipeline named or with id "${ref.slice(0, 40)}".`);
  },
};
const ctx = { source: emptySource, surface: 'slack' as const, channelId: 'C1', userId: 'U1', now: () => new Date('2026-11-20T08:00:00Z') };

const quotey = fc.constantFrom('"', "'", '\u201c', '\u201d', '\u2018', '\u2019', '\u201e', '\\', '--', '--update', '=', ' ', '\n', '\t', 'why-slow', 'compare', 'size', 'apply', 'alerts', 'digest', '--json', '--help', '\u0000', '\u200b', '🙂', 'é', 'e\u0301');
const commandish = fc.array(fc.oneof(quotey, fc.string({ unit: 'grapheme', maxLength: 12 })), { maxLength: 12 }).map((parts) => parts.join(''));

describe('command parser and runner', () => {
  it('parseCommandText never throws on any string, and says what is wrong when it refuses', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), commandish), (text) => {
        const r = parseCommandText(text);
        if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
        else expect(Array.isArray(r.value.args._)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('runCommandText always resolves to a Reply (never throws), errors with a clear code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), commandish), async (text) => {
        const reply = await runCommandText(text, ctx);
        expect(REPLY_KINDS.has(reply.kind)).toBe(true);
        if (reply.kind === 'error') expect(CLEAR_CODES.has(reply.code), `${reply.code} for ${JSON.stringify(text)}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a 10 MB command line: a Reply, not a hang or a throw', async () => {
    const big = `why-slow ${'a'.repeat(10 * 1024 * 1024)}`;
    const started = Date.now();
    const reply = await runCommandText(big, ctx);
    expect(REPLY_KINDS.has(reply.kind)).toBe(true);
    const quoted = await runCommandText(`why-slow "${'x\\"'.repeat(3 * 1024 * 1024)}`, ctx); // unclosed quote, 9 MB
    expect(quoted.kind).toBe('error');
    expect(Date.now() - started).toBeLessThan(20_000);
    // the error does not echo 10 MB back to the channel
    if (quoted.kind === 'error') expect(quoted.message.length).toBeLessThan(1000);
  });
});

// ------------------------------------------------------------------------------------------------

const FIXTURE = 'test/fixtures/bundles/healthy';

/** readBundle's contract: a result (maybe partial, with what was skipped) or a DoctorError with a clear code */
async function readOutcome(dir: string): Promise<{ kind: 'ok'; skipped: number; notes: string[] } | { kind: 'error'; code: string; message: string }> {
  try {
    const r = await readBundle(dir);
    return { kind: 'ok', skipped: r.stats.skipped, notes: r.evidence.notes };
  } catch (err) {
    if (err instanceof DoctorError) return { kind: 'error', code: err.code, message: err.message };
    throw new Error(`readBundle threw a non-DoctorError: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}

let bundleSeq = 0;
/** a copy of the healthy fixture bundle with some files replaced */
function bundleWith(files: Record<string, string | Buffer>): string {
  const dir = join(tmp, `b${bundleSeq++}`);
  cpSync(FIXTURE, dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('bundle reader', () => {
  it('random bytes in any bundle file: a clear BAD_BUNDLE / NO_EVENTS or a partial result counting what was skipped', async () => {
    const file = fc.constantFrom('events.jsonl', 'pipeline.json', 'updates.json', 'node_timeline.jsonl', 'usage.jsonl', 'list_prices.jsonl');
    await fc.assert(
      fc.asyncProperty(file, fc.uint8Array({ maxLength: 4096 }), async (name, bytes) => {
        const out = await readOutcome(bundleWith({ [name]: Buffer.from(bytes) }));
        if (out.kind === 'error') expect(CLEAR_CODES.has(out.code)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('random lines mixed into events.jsonl: the good events are read and the bad ones counted as skipped', async () => {
    const good = readFileSync(join(FIXTURE, 'events.jsonl'), 'utf8').split('\n').filter(Boolean);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }), fc.json()), { minLength: 1, maxLength: 20 }), async (junk) => {
        const bad = junk.map((j) => j.replace(/[\r\n]/g, ' ')).filter((j) => j.trim() !== '');
        const lines = [...good];
        bad.forEach((b, i) => lines.splice((i * 37) % lines.length, 0, b));
        const out = await readOutcome(bundleWith({ 'events.jsonl': lines.join('\n') }));
        expect(out.kind).toBe('ok');
        if (out.kind === 'ok') expect(out.skipped).toBeLessThanOrEqual(bad.length);
      }),
      { numRuns: 20 },
    );
  });

  it('a 10 MB line in events.jsonl and in pipeline.json', async () => {
    const huge = `{"id":"x","message":"${'m'.repeat(10 * 1024 * 1024)}"`; // also unterminated
    const events = `${huge}\n${readFileSync(join(FIXTURE, 'events.jsonl'), 'utf8')}`;
    const a = await readOutcome(bundleWith({ 'events.jsonl': events }));
    expect(a).toMatchObject({ kind: 'ok' });
    if (a.kind === 'ok') expect(a.skipped).toBeGreaterThanOrEqual(1);
    const b = await readOutcome(bundleWith({ 'pipeline.json': huge }));
    expect(b).toMatchObject({ kind: 'error', code: 'BAD_BUNDLE' });
  });

  it('JSON nested 100 000 levels deep: no stack overflow, a clear error or the line skipped', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const deepObj = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const ev = await readOutcome(bundleWith({ 'events.jsonl': `${deepObj}\n${deep}\n${readFileSync(join(FIXTURE, 'events.jsonl'), 'utf8')}` }));
    expect(ev.kind).toBe('ok');
    if (ev.kind === 'ok') expect(ev.skipped).toBeGreaterThanOrEqual(2);
    for (const f of ['pipeline.json', 'updates.json']) {
      const out = await readOutcome(bundleWith({ [f]: deepObj }));
      if (out.kind === 'error') expect(CLEAR_CODES.has(out.code)).toBe(true);
    }
  });

  it('wrong types in every field of pipeline.json and updates.json: a clear error or a result', async () => {
    const pipeline = JSON.parse(readFileSync(join(FIXTURE, 'pipeline.json'), 'utf8')) as unknown;
    const updates = JSON.parse(readFileSync(join(FIXTURE, 'updates.json'), 'utf8')) as unknown;
    const targets = [
      ...leafPaths(pipeline).map((p) => ({ file: 'pipeline.json', doc: pipeline, path: p })),
      ...leafPaths(updates).slice(0, 60).map((p) => ({ file: 'updates.json', doc: updates, path: p })),
    ];
    for (const t of targets) {
      for (const wrong of wrongValuesFor(get(t.doc, t.path))) {
        const out = await readOutcome(bundleWith({ [t.file]: JSON.stringify(set(t.doc, t.path, wrong)) }));
        if (out.kind === 'error') expect(CLEAR_CODES.has(out.code), `${t.file} ${t.path.join('.')}`).toBe(true);
      }
    }
  }, 120_000);
});

// ------------------------------------------------------------------------------------------------

type Path = (string | number)[];
function leafPaths(v: unknown, prefix: Path = [], out: Path[] = [], depth = 0): Path[] {
  if (depth > 0) out.push(prefix);
  if (v && typeof v === 'object' && depth < 6) {
    const entries = Array.isArray(v) ? v.slice(0, 2).map((x, i) => [i, x] as const) : Object.entries(v);
    for (const [k, x] of entries) leafPaths(x, [...prefix, k], out, depth + 1);
  }
  return out;
}
function get(v: unknown, path: Path): unknown {
  return path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined), v);
}
function set<T>(v: T, path: Path, value: unknown): T {
  const copy = structuredClone(v) as unknown;
  let o = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]!] = value;
  return copy as T;
}
/** values of other types than `current` */
function wrongValuesFor(current: unknown): unknown[] {
  const all: unknown[] = ['oops', -1.5, true, null, [], { nested: 'x' }];
  return all.filter((w) => typeof w !== typeof current || Array.isArray(w) !== Array.isArray(current) || (w === null) !== (current === null));
}

// ------------------------------------------------------------------------------------------------

const EVIL = `x'; DROP TABLE event_log_rows; --`;
const EVIL_UPDATE = `u"); DELETE FROM system_billing_usage; --`;

describe('quote-laden pipeline names reach SQL only as parameters', () => {
  let data: DemoWorkspaceData;
  let server: DemoRestServer;
  let duck: DuckDbWarehouse;
  let oldId: string;
  const seen: { name: string; params: SqlParams }[] = [];

  beforeAll(async () => {
    data = generateDemoWorkspace();
    const target = data.pipelines.find((p) => (p.pipeline as { name?: string }).name === 'orders_silver')!;
    oldId = (target.pipeline as { pipeline_id: string }).pipeline_id;
    // rename and re-id the pipeline everywhere (REST bodies and event-log rows) to the hostile string
    const evilJson = JSON.stringify(EVIL).slice(1, -1);
    const rewritten = JSON.parse(JSON.stringify(target).split(oldId).join(evilJson).split('"orders_silver"').join(JSON.stringify(EVIL))) as typeof target;
    Object.assign(target, rewritten);
    server = await startDemoRestServer(data, { token: TOKEN, now: () => data.now });
    duck = await createDuckDbWarehouse(data);
  });
  afterAll(async () => {
    await server?.close();
    await duck?.close();
  });

  function recording(inner: Warehouse): Warehouse {
    return {
      query: (name, params, options) => {
        seen.push({ name, params });
        return inner.query(name, params, options);
      },
      close: async () => undefined,
      stats: () => inner.stats(),
    };
  }

  it(`why-slow "${EVIL}" diagnoses from the SQL event log with the name as a parameter; the tables survive`, async () => {
    const rest = createRestClient({ host: server.url, auth: { kind: 'pat', token: TOKEN }, cacheTtlMs: 0 });
    const source = createWorkspaceSource({ rest, warehouse: recording(duck), kind: 'demo', host: data.host, now: () => data.now });
    const before = await duck.query('update-history', { pipeline_id: EVIL, since: new Date(data.now - 60 * 86_400_000) });
    expect(before.length).toBeGreaterThan(0); // the rows under the hostile id exist, and a parameter finds them

    const reply = await runCommandText(`why-slow "${EVIL.replace(/"/g, '\\"')}"`, { source, surface: 'slack', now: () => new Date(data.now) });
    expect(reply.kind, JSON.stringify(reply).slice(0, 300)).toBe('diagnosis');
    const d = (reply as Extract<Reply, { kind: 'diagnosis' }>).diagnosis;
    expect(d.pipeline.id).toBe(EVIL);
    // the event log was read with SQL (not the REST fallback): the value matched as data
    expect(d.notes.join('\n')).not.toMatch(/REST events only/);
    // every update summary statement got the name as a parameter value
    const summaries = seen.filter((s) => s.name.startsWith('update-') && s.name !== 'update-cost');
    expect(summaries.map((s) => s.name).sort()).toEqual(['update-autoloader', 'update-cluster-resources', 'update-flow-buckets', 'update-flow-statuses', 'update-history', 'update-milestones', 'update-overview']);
    for (const s of summaries) expect(s.params.pipeline_id, s.name).toBe(EVIL);
    expect(d.where_time_went?.flows.length).toBeGreaterThan(0);

    // the table the name tried to drop is still there, with the other pipelines' rows
    const others = await duck.query('update-history', { pipeline_id: data.pipelines.find((p) => (p.pipeline as { pipeline_id: string }).pipeline_id !== EVIL)!.pipeline.pipeline_id as string, since: new Date(data.now - 60 * 86_400_000) });
    expect(others.length).toBeGreaterThan(0);
    const after = await duck.query('update-history', { pipeline_id: EVIL, since: new Date(data.now - 60 * 86_400_000) });
    expect(after.length).toBe(before.length);
  });

  it('hostile update ids and names as parameters: no error from the SQL text, no rows, tables intact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(EVIL, EVIL_UPDATE, "'", "''", '\\', '$1', ':pipeline_id', '?', '"; --'), fc.string({ unit: 'grapheme', maxLength: 30 })), async (hostile) => {
        const rows = await duck.query('update-events', { pipeline_id: hostile, update_id: hostile });
        if (hostile !== EVIL) expect(rows).toEqual([]);
      }),
      { numRuns: 60 },
    );
    const all = await duck.query('update-history', { pipeline_id: oldId === EVIL ? 'none' : EVIL, since: new Date(0) });
    expect(all.length).toBeGreaterThan(0);
  });
});

// ------------------------------------------------------------------------------------------------

describe('wrong types in every Databricks REST response field', () => {
  let data: DemoWorkspaceData;
  let server: DemoRestServer;
  const bodies: Record<'list' | 'pipeline' | 'updates' | 'events', unknown> = { list: null, pipeline: null, updates: null, events: null };
  let pipelineId: string;

  beforeAll(async () => {
    data = generateDemoWorkspace();
    server = await startDemoRestServer(data, { token: TOKEN, now: () => data.now });
    pipelineId = data.pipelines.find((p) => (p.pipeline as { name?: string }).name === 'orders_silver')!.pipeline.pipeline_id as string;
    const h = { Authorization: `Bearer ${TOKEN}` };
    const j = async (p: string) => (await fetch(`${server.url}${p}`, { headers: h })).json() as Promise<unknown>;
    bodies.list = await j('/api/2.0/pipelines?max_results=100');
    bodies.pipeline = await j(`/api/2.0/pipelines/${pipelineId}`);
    bodies.updates = await j(`/api/2.0/pipelines/${pipelineId}/updates?max_results=25`);
    bodies.events = await j(`/api/2.0/pipelines/${pipelineId}/events?max_results=250`);
  });
  afterAll(async () => {
    await server?.close();
  });

  function kindOf(url: string): keyof typeof bodies {
    const u = new URL(url);
    if (u.pathname === '/api/2.0/pipelines') return 'list';
    if (u.pathname.endsWith('/updates')) return 'updates';
    if (u.pathname.endsWith('/events')) return 'events';
    return 'pipeline';
  }

  /** serves the recorded bodies with one field replaced */
  function mutated(target: keyof typeof bodies, path: Path, value: unknown): typeof fetch {
    return (async (input: string | URL | Request) => {
      const url = String(input instanceof Request ? input.url : input);
      const k = kindOf(url);
      const body = k === target ? set(bodies[k], path, value) : bodies[k];
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
  }

  it.each(['list', 'pipeline', 'updates', 'events'] as const)('%s: every field with a wrong type → a diagnosis (maybe partial) or a clear SOURCE_UNAVAILABLE', async (target) => {
    const paths = leafPaths(bodies[target]);
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom<unknown>('oops', -1.5, true, null, [], { nested: 'x' }, 1e308, ''), async (path, wrong) => {
        const rest = createRestClient({ host: 'https://adb-1.2.azuredatabricks.net', auth: { kind: 'pat', token: TOKEN }, fetch: mutated(target, path, wrong), cacheTtlMs: 0, maxRetries: 0 });
        const source = createWorkspaceSource({ rest, warehouse: null, kind: 'workspace', host: 'https://adb-1.2.azuredatabricks.net', now: () => data.now, collectCacheTtlMs: 0 });
        for (const text of ['why-slow orders_silver', 'pipelines']) {
          const reply = await runCommandText(text, { source, surface: 'slack', now: () => new Date(data.now) });
          expect(REPLY_KINDS.has(reply.kind)).toBe(true);
          if (reply.kind === 'error' && !CLEAR_CODES.has(reply.code)) failures.push(`${target}.${path.join('.')} = ${JSON.stringify(wrong)} → ${reply.code} ${reply.hint ?? ''}`);
          if (reply.kind === 'error' && reply.code === 'SOURCE_UNAVAILABLE') expect(reply.message).toMatch(/unexpected response for GET \/api\/2\.0\/pipelines/);
        }
      }),
      { numRuns: Math.min(150, paths.length * 3) },
    );
    expect(failures).toEqual([]);
  }, 120_000);
});
