/** The alert store: everything survives reopening the SQLite file; the dedupe key is unique per channel. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAlertStore, DEFAULT_THRESHOLDS } from '../../src/store/alerts.js';
import { openDb } from '../../src/store/db.js';

describe('alert store', () => {
  it('watches, incidents, mutes, checks and the audit log survive a restart', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alert-store-')), 'db.sqlite');
    const db = openDb(path);
    const s = createAlertStore(db);
    await s.watch({ channel: 'C1', pipelineId: 'p1', pipelineName: 'orders', ...DEFAULT_THRESHOLDS, createdBy: 'U1', createdAt: 1 });
    const inc = (await s.openIncident({ channel: 'C1', pipelineId: 'p1', pipelineName: 'orders', updateId: 'u1', kind: 'failed', summary: 'boom', at: 2 }))!;
    expect(inc.dedupeKey).toBe('p1:u1:failed');
    expect(await s.openIncident({ channel: 'C1', pipelineId: 'p1', pipelineName: 'orders', updateId: 'u1', kind: 'failed', summary: 'again', at: 3 })).toBeNull();
    // another channel watching the same pipeline gets its own incident
    expect(await s.openIncident({ channel: 'C2', pipelineId: 'p1', pipelineName: 'orders', updateId: 'u1', kind: 'failed', summary: 'boom', at: 3 })).not.toBeNull();
    await s.setPosted(inc.id, '10.1', '10.1', 4);
    await s.mute('C1', 'p1', 1000, 'U1');
    await s.markChecked('C1', 'p1', 'u1', 5);
    const auditId = await s.audit({ at: 6, userId: 'U9', surface: 'slack', channel: 'C1', threadTs: '10.1', pipelineId: 'p1', updateId: 'u1', recommendationId: 'enable-photon', change: { target: 'pipeline', key: 'photon', value: 'true' }, diff: [{ key: 'photon', before: 'false', after: 'true' }], before: { photon: false }, after: { photon: true }, result: 'applied', message: null, latestUpdateTime: 100 });
    db.close();

    const s2 = createAlertStore(openDb(path));
    expect(await s2.watches('C1')).toMatchObject([{ pipelineId: 'p1', regression: 1.5, backlogMin: 15, costSpikePct: 20 }]);
    expect(await s2.incidentByThread('C1', '10.1')).toMatchObject({ id: inc.id, state: 'open', parentTs: '10.1' });
    expect(await s2.mutedUntil('C1', 'p1', 999)).toBe(1000);
    expect(await s2.mutedUntil('C1', 'p1', 1000)).toBeNull();
    expect(await s2.isChecked('C1', 'p1', 'u1')).toBe(true);
    expect((await s2.pendingFollowups()).map((a) => a.id)).toEqual([auditId]);
    expect((await s2.audits())[0]).toMatchObject({ userId: 'U9', result: 'applied', before: { photon: false }, after: { photon: true }, latestUpdateTime: 100 });
    await s2.setFollowup(auditId, 'u2', 7);
    expect(await s2.pendingFollowups()).toEqual([]);
  });

  it('appliedChanges: the applied rows only, as the change they made, oldest first', async () => {
    const s = createAlertStore(openDb(':memory:'));
    const base = { surface: 'slack', channel: null, threadTs: null, updateId: 'u1', before: null, after: null, message: null, latestUpdateTime: null } as const;
    await s.audit({ ...base, at: 20, userId: 'U2', pipelineId: 'p2', recommendationId: 'raise-max-workers', change: { target: 'cluster', key: 'autoscale.max_workers', value: '16' }, diff: [{ key: 'clusters[default].autoscale.max_workers', before: '8', after: '16' }], result: 'applied' });
    await s.audit({ ...base, at: 10, userId: 'U1', pipelineId: 'p1', recommendationId: 'enable-photon', change: { target: 'pipeline', key: 'photon', value: 'true' }, diff: [{ key: 'photon', before: null, after: 'true' }], result: 'applied' });
    await s.audit({ ...base, at: 30, userId: 'U3', pipelineId: 'p1', recommendationId: 'enable-photon', change: null, diff: [], result: 'refused' });
    await s.audit({ ...base, at: 40, userId: 'U1', pipelineId: 'p1', recommendationId: 'compute-optimized-instances', change: { target: 'cluster', key: 'node_type_id', value: 'c5.4xlarge' }, diff: [], result: 'conflict' });
    expect(await s.appliedChanges()).toEqual([
      { auditId: 2, pipelineId: 'p1', recommendationId: 'enable-photon', change: { target: 'pipeline', key: 'photon', value: 'true' }, before: null, appliedAt: 10, by: 'U1' },
      { auditId: 1, pipelineId: 'p2', recommendationId: 'raise-max-workers', change: { target: 'cluster', key: 'autoscale.max_workers', value: '16' }, before: '8', appliedAt: 20, by: 'U2' },
    ]);
  });

  it("a '*' mute covers every pipeline of the channel, not other channels", async () => {
    const s = createAlertStore(openDb(':memory:'));
    await s.mute('C1', '*', 500, null);
    expect(await s.mutedUntil('C1', 'anything', 100)).toBe(500);
    expect(await s.mutedUntil('C2', 'anything', 100)).toBeNull();
  });
});
