/**
 * Faults: the demo workspace's REST fault switches (429 with Retry-After, bursts of 500/503,
 * answers slower than the timeout, connection resets, truncated JSON) and a warehouse that rejects
 * statements. Every command answers within a bounded time with a message naming what failed, and
 * works again once the fault clears. Timeouts are kept small through the client's options.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import type { Reply } from '../../commands/types.js';
import { createWorkspaceSource } from '../../src/databricks/collect.js';
import { createRestClient } from '../../src/databricks/rest.js';
import type { Warehouse } from '../../src/databricks/sql.js';
import { DoctorError } from '../../src/errors.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import type { Source } from '../../src/source.js';
import { unhandledErrors } from '../setup/unhandled.js';

/** the demo REST server's token (src/demo/workspace.ts): not a secret */
const DEMO_TOKEN = 'dapi-demo-workspace';
const TIMEOUT_MS = 300;
const DEADLINE_MS = 2_500;
/**
 * the bound every answer must meet: the deadline plus the diagnosis itself, generously (a shared CI
 * machine running three Node versions' suites has taken 5 s for the diagnosis alone); still far
 * below the minutes an unbounded retry or a hung socket would take
 */
const BOUND_MS = 12_000;

let demo: DemoWorkspace;
/** when set, every statement fails with it */
let warehouseFault: Error | null = null;

function faultyWarehouse(inner: Warehouse): Warehouse {
  return {
    query: (name, params, options) => (warehouseFault ? Promise.reject(warehouseFault) : inner.query(name, params, options)),
    close: async () => undefined,
    stats: () => inner.stats(),
  };
}

/** a fresh client and source per test (no caches), with small timeouts */
function source(): Source {
  const rest = createRestClient({ host: demo.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, timeoutMs: TIMEOUT_MS, deadlineMs: DEADLINE_MS, maxRetries: 3, cacheTtlMs: 0 });
  return createWorkspaceSource({ rest, warehouse: faultyWarehouse(demo.warehouse), kind: 'demo', host: demo.data.host, now: () => demo.data.now, collectCacheTtlMs: 0 });
}

async function run(text: string, src = source()): Promise<{ reply: Reply; ms: number }> {
  const started = Date.now();
  const reply = await runCommandText(text, { source: src, surface: 'slack', channelId: 'C1', userId: 'U1', now: () => new Date(demo.data.now) });
  return { reply, ms: Date.now() - started };
}

const COMMANDS = [
  { text: 'why-slow orders_silver', ok: 'diagnosis' },
  { text: 'pipelines', ok: 'pipelines' },
  { text: 'compare orders_silver', ok: 'compare' },
] as const;

function errorOf(reply: Reply) {
  expect(reply.kind).toBe('error');
  return reply as Extract<Reply, { kind: 'error' }>;
}

beforeAll(async () => {
  demo = await startDemoWorkspace();
});
afterAll(async () => {
  demo?.rest.faults.clear();
  await demo?.close();
});
beforeEach(() => {
  demo.rest.faults.clear();
  warehouseFault = null;
});

describe.each(COMMANDS)('$text under faults', ({ text, ok }) => {
  it('answers normally without a fault (baseline)', async () => {
    const { reply } = await run(text);
    expect(reply.kind).toBe(ok);
  });

  it('429 with Retry-After for a while: waits as told and answers', async () => {
    demo.rest.faults.set({ status: 429, retryAfterS: 1, count: 1 });
    const { reply, ms } = await run(text);
    expect(reply.kind).toBe(ok);
    expect(ms).toBeGreaterThanOrEqual(900); // it honoured Retry-After: 1
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('429 that never ends: a clear SOURCE_UNAVAILABLE naming 429 within the bound, then works once cleared', async () => {
    demo.rest.faults.set({ status: 429, retryAfterS: 1 });
    const { reply, ms } = await run(text);
    const err = errorOf(reply);
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toMatch(/Databricks .*429/);
    expect(err.message).toMatch(/GET \/api\/2\.0\/pipelines/);
    expect(ms).toBeLessThan(BOUND_MS);
    demo.rest.faults.clear();
    expect((await run(text)).reply.kind).toBe(ok);
  });

  it('a burst of 500s then recovery: retried and answered', async () => {
    demo.rest.faults.set({ status: 500, count: 2 });
    const { reply, ms } = await run(text);
    expect(reply.kind).toBe(ok);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('503 without end: SOURCE_UNAVAILABLE naming 503, bounded, then recovers', async () => {
    demo.rest.faults.set({ status: 503, retryAfterS: 0 });
    const { reply, ms } = await run(text);
    const err = errorOf(reply);
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toMatch(/503/);
    expect(ms).toBeLessThan(BOUND_MS);
    demo.rest.faults.clear();
    expect((await run(text)).reply.kind).toBe(ok);
  });

  it('answers slower than the timeout: says it did not answer in time, bounded, then recovers', async () => {
    demo.rest.faults.set({ latencyMs: TIMEOUT_MS * 4 });
    const { reply, ms } = await run(text);
    const err = errorOf(reply);
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toMatch(/did not answer within \d+ ms/);
    expect(ms).toBeLessThan(BOUND_MS);
    demo.rest.faults.clear();
    expect((await run(text)).reply.kind).toBe(ok);
  });

  it('connection resets: says the workspace could not be reached, bounded, then recovers', async () => {
    demo.rest.faults.set({ reset: true });
    const { reply, ms } = await run(text);
    const err = errorOf(reply);
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toMatch(/could not be reached/);
    expect(ms).toBeLessThan(BOUND_MS);
    demo.rest.faults.clear();
    expect((await run(text)).reply.kind).toBe(ok);
  });

  it('truncated JSON: says the answer was not valid JSON and names the call; then recovers', async () => {
    demo.rest.faults.set({ truncate: true });
    const { reply, ms } = await run(text);
    const err = errorOf(reply);
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.message).toMatch(/GET \/api\/2\.0\/pipelines/);
    expect(ms).toBeLessThan(BOUND_MS);
    demo.rest.faults.clear();
    expect((await run(text)).reply.kind).toBe(ok);
  });
});

describe('a warehouse that rejects every statement', () => {
  it.each(['why-slow orders_silver', 'compare orders_silver'])('%s: still answers from REST, with notes naming what failed; full answer once it recovers', async (text) => {
    warehouseFault = new DoctorError('SOURCE_UNAVAILABLE', 'SQL warehouse abc rejected the statement: [WAREHOUSE_STOPPED] warehouse is stopped');
    const { reply, ms } = await run(text);
    expect(ms).toBeLessThan(BOUND_MS);
    const diagnosis = reply.kind === 'diagnosis' ? reply.diagnosis : reply.kind === 'compare' ? reply.b : null;
    expect(diagnosis, JSON.stringify(reply).slice(0, 400)).not.toBeNull();
    const notes = diagnosis!.notes.join('\n');
    expect(notes).toMatch(/The event log \(SQL\) unavailable: SQL warehouse abc rejected the statement/);
    expect(notes).toMatch(/REST events only/);

    warehouseFault = null;
    const healthy = await run(text);
    const d2 = healthy.reply.kind === 'diagnosis' ? healthy.reply.diagnosis : healthy.reply.kind === 'compare' ? healthy.reply.b : null;
    expect(d2!.notes.join('\n')).not.toMatch(/unavailable/);
  });

  it('a driver error that is not a DoctorError is not swallowed as a note: the command answers with an error reply, never throws', async () => {
    warehouseFault = new TypeError('driver exploded');
    const { reply } = await run('why-slow orders_silver');
    const err = errorOf(reply);
    expect(err.message).not.toMatch(/at .*\.ts:\d+/); // no stack trace to users
  });
});

describe('process-level check', () => {
  it('no unhandled rejection or uncaught exception was recorded during the fault scenarios', async () => {
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandledErrors()).toEqual([]);
  });
});
