/**
 * The apply journal in one process (issue 15 item 1): when SQLite cannot take the outcome after the
 * PUT (busy), the intent written before the PUT stays 'pending' — a Confirm meanwhile is told the
 * apply is still being recorded, not "no recommendation" — and the reconciliation records it
 * 'applied' from the pipeline's current spec. An intent whose PUT never landed is 'not_applied'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplyService } from '../../src/apply/apply-service.js';
import { createRestClient } from '../../src/databricks/rest.js';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { createAlertStore } from '../../src/store/alerts.js';
import { openDb } from '../../src/store/db.js';
import { DEMO_TOKEN, tempDbPath } from '../schedule/alert-support.js';

describe('apply journal', () => {
  let ws: DemoWorkspace;
  let pid: string;
  beforeAll(async () => {
    ws = await startDemoWorkspace({ updateDurationMs: 20 });
    pid = (await ws.source.resolvePipeline('orders_silver')).id;
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('SQLite busy when writing the outcome: the intent stays pending, a second Confirm says so, reconciliation records applied', async () => {
    const rest = createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0 });
    const real = createAlertStore(openDb(tempDbPath()));
    let busy = true;
    const store = {
      ...real,
      resolveIntent: async (...a: Parameters<typeof real.resolveIntent>) => {
        if (busy) throw new Error('SQLITE_BUSY: database is locked');
        return real.resolveIntent(...a);
      },
    };
    const warnings: string[] = [];
    const service = createApplyService({ rest, source: ws.source, store, allowedUsers: ['slack:UADMIN'], now: () => DEMO_NOW, logger: { warn: (m: unknown) => void warnings.push(String(m)) } });
    const confirm = () => service.confirm({ pipeline: pid, updateId: null, recommendationId: 'enable-photon', userId: 'UADMIN', surface: 'slack', channel: 'C1', threadTs: '1.1', expectedLastModified: null });

    const r = await confirm();
    expect(r.ok).toBe(true); // the PUT happened: the person is told so
    expect((await rest.getPipeline(pid)).rawSpec!.photon).toBe(true);
    expect((await real.audits()).map((a) => a.result)).toEqual(['pending']);
    expect(warnings.join('\n')).toContain('left for reconciliation');

    const again = await confirm();
    expect(again).toMatchObject({ ok: false, code: 'replayed' });
    expect(again.ok ? '' : again.message).toContain('its outcome is not recorded yet');

    busy = false;
    const done = await service.reconcile({ minAgeMs: 0 });
    expect(done.map((d) => d.result)).toEqual(['applied']);
    expect((await real.audits()).map((a) => a.result)).toEqual(['applied', 'replayed']);
    const third = await confirm();
    expect(third.ok ? '' : third.message).toContain('already applied by UADMIN');
  });

  it('an intent younger than the minimum age is left alone (another process may be mid-PUT); an old one whose PUT never landed is not_applied', async () => {
    const rest = createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0 });
    const store = createAlertStore(openDb(tempDbPath()));
    const d = await rest.getPipeline(pid);
    let now = DEMO_NOW;
    await store.audit({
      at: now, userId: 'UADMIN', surface: 'slack', channel: 'C1', threadTs: null, pipelineId: pid, updateId: 'u1', recommendationId: 'compute-optimized-instances',
      change: { target: 'cluster', key: 'node_type_id', value: 'c5.4xlarge' }, diff: [], before: d.rawSpec, after: d.rawSpec, result: 'pending', message: null, latestUpdateTime: null,
      expectedLastModified: d.last_modified as number,
    });
    const service = createApplyService({ rest, source: ws.source, store, allowedUsers: [], now: () => now });
    expect(await service.reconcile()).toEqual([]);
    expect((await store.audits())[0]!.result).toBe('pending');
    now += 600_000;
    expect((await service.reconcile()).map((r) => r.result)).toEqual(['not_applied']);
    expect((await store.audits())[0]).toMatchObject({ result: 'not_applied', reconciled: true });
  });
});
