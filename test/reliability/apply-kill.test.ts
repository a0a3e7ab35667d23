/**
 * Apply as a journal (issue 15 item 1): a child process (fixtures/apply-child.ts) applies a fix
 * through the real apply service to the demo workspace running in THIS process, and SIGKILLs itself
 * right after the PUT returned (before the outcome is written) or right before the PUT (after the
 * intent). A restart — the real alert service on the same database (it reconciles open intents
 * when it takes the scheduler lease, as main.ts does) — records the truth: 'applied' with "Applied by" posted in the thread exactly
 * once (a second restart posts nothing), or 'not_applied' with nothing posted.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestClient } from '../../src/databricks/rest.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { openDb } from '../../src/store/db.js';
import { createAlertStore } from '../../src/store/alerts.js';
import { textOf } from '../surfaces/slack/helpers.js';
import { DEMO_TOKEN, harness, tempDbPath } from '../schedule/alert-support.js';

const CHILD = join(import.meta.dirname, 'fixtures', 'apply-child.ts');
const THREAD = '1700000000.000100';
type Json = Record<string, unknown>;

function runChild(args: string[], kill: 'after-put' | 'before-put'): Promise<{ signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent', DLT_TEST_KILL: kill } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => void (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, out, err }));
  });
}

describe('an apply killed around its PUT is reconciled at restart', () => {
  let ws: DemoWorkspace;
  let pid: string;
  beforeAll(async () => {
    ws = await startDemoWorkspace({ updateDurationMs: 20 });
    pid = (await ws.source.resolvePipeline('orders_silver')).id;
  });
  afterAll(async () => {
    await ws?.close();
  });

  async function spec(): Promise<Json> {
    const res = await fetch(`${ws.rest.url}/api/2.0/pipelines/${pid}`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } });
    return (await res.json()) as Json;
  }
  const audits = async (path: string) => {
    const db = openDb(path);
    const rows = await createAlertStore(db).audits();
    db.close();
    return rows;
  };
  /** a restart: the alert service on the same database, ten minutes on (older than RECONCILE_MIN_AGE_MS) */
  async function restart(path: string) {
    const h = harness(ws, path, { ms: Date.now() + 600_000 });
    // the restarted process takes the scheduler lease (main.ts onAcquire): it reconciles open intents then
    const done = await h.alerts.startReconciling();
    const applied = h.api.of('chat.postMessage').filter((c) => textOf(c).includes('Applied by'));
    h.close();
    return { done, applied };
  }

  it('SIGKILL right after the PUT: the intent is open, the restart records applied and posts "Applied by" once', async () => {
    const path = tempDbPath();
    const before = await spec();
    expect((before.spec as Json).photon).toBe(false);
    const child = await runChild([path, ws.rest.url, pid, 'C1', THREAD], 'after-put');
    expect(child.signal, child.err).toBe('SIGKILL');
    expect(child.out).not.toContain('done');
    // Databricks changed; the journal has the intent with no outcome
    const now = await spec();
    expect((now.spec as Json).photon).toBe(true);
    expect(now.last_modified).not.toBe(before.last_modified);
    const open = await audits(path);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ result: 'pending', userId: 'UADMIN', surface: 'slack', channel: 'C1', threadTs: THREAD, pipelineId: pid, recommendationId: 'enable-photon', expectedLastModified: before.last_modified });
    expect((open[0]!.after as Json).photon).toBe(true);

    const first = await restart(path);
    expect(first.done.map((d) => d.result)).toEqual(['applied']);
    expect(first.applied).toHaveLength(1);
    expect(first.applied[0]!.params.channel).toBe('C1');
    expect(first.applied[0]!.params.thread_ts).toBe(THREAD);
    expect(textOf(first.applied[0])).toContain('Applied by <@UADMIN>');
    expect(textOf(first.applied[0])).toContain('photon false → true');
    const rows = await audits(path);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ result: 'applied', reconciled: true });

    // a second restart: nothing open, nothing posted again
    const second = await restart(path);
    expect(second.done).toEqual([]);
    expect(second.applied).toHaveLength(0);
    expect((await audits(path))[0]!.result).toBe('applied');
  }, 60_000);

  it('SIGKILL before the PUT: the pipeline is unchanged and the restart records not_applied, posting nothing', async () => {
    const path = tempDbPath();
    // photon off again (the first test turned it on), so enable-photon can be prepared
    const rest = createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0 });
    const current = await rest.getPipeline(pid);
    await rest.editPipeline(pid, { ...current.rawSpec!, photon: false });
    const before = await spec();
    expect((before.spec as Json).photon).toBe(false);
    const child = await runChild([path, ws.rest.url, pid, 'C2', THREAD], 'before-put');
    expect(child.signal, child.err).toBe('SIGKILL');
    expect(await spec()).toEqual(before);
    expect((await audits(path)).map((a) => a.result)).toEqual(['pending']);

    const r = await restart(path);
    expect(r.done.map((d) => d.result)).toEqual(['not_applied']);
    expect(r.applied).toHaveLength(0);
    expect((await audits(path))[0]).toMatchObject({ result: 'not_applied', reconciled: true, before: null, after: null });
  }, 60_000);
});
