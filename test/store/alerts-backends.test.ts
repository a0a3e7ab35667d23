/**
 * The alert store (watches, incidents, mutes, checks, the apply journal, last verdicts) on both
 * store backends (issue 19): SQLite (two connections on one file: two bot processes) and a real
 * PostgreSQL server (two pools: two replicas on one database). The exactly-once rules are races
 * between the two: one incident per dedupe key, one outcome per intent.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAlertStore, DEFAULT_THRESHOLDS, type NewAudit } from '../../src/store/alerts.js';
import { STATE_MIGRATIONS } from '../../src/store/open.js';
import { storeBackends } from '../support/store-backends.js';

const backends = storeBackends(STATE_MIGRATIONS);
beforeAll(() => backends.setup(), 120_000);
afterAll(() => backends.teardown());
afterEach(() => backends.cleanup());

/** a real epoch-ms time: beyond 32 bits, so a 32-bit INTEGER column would fail on PostgreSQL */
const T = Date.parse('2026-12-04T09:30:00.000Z');

const intent = (over: Partial<NewAudit> = {}): NewAudit => ({
  at: T,
  userId: 'U1',
  surface: 'slack',
  channel: 'C1',
  threadTs: '1.1',
  pipelineId: 'p1',
  updateId: 'u1',
  recommendationId: 'enable-photon',
  change: { target: 'pipeline', key: 'photon', value: 'true' },
  diff: [{ key: 'photon', before: 'false', after: 'true' }],
  before: { photon: false },
  after: { photon: true },
  result: 'pending',
  message: null,
  latestUpdateTime: T - 3_600_000,
  expectedLastModified: T - 7_200_000,
  pipelineName: 'orders_silver',
  title: 'Enable Photon',
  ...over,
});

for (const backend of backends.list) {
  describe.skipIf(backend.skip)(`createAlertStore (${backend.name})`, () => {
    it('two replicas opening the same incident at once: exactly one gets it; another kind or channel is its own', async () => {
      const { a, b } = await backend.two();
      const sa = createAlertStore(a);
      const sb = createAlertStore(b);
      const open = (s: typeof sa, channel = 'C1', kind: 'failed' | 'regression' = 'failed') =>
        s.openIncident({ channel, pipelineId: 'p1', pipelineName: 'orders_silver', updateId: 'u9', kind, summary: 'Update failed.', at: T, eventAt: T - 60_000 });
      const raced = await Promise.all([open(sa), open(sb), open(sa), open(sb)]);
      const won = raced.filter((r) => r !== null);
      expect(won).toHaveLength(1);
      expect(won[0]).toMatchObject({ dedupeKey: 'p1:u9:failed', state: 'open', openedAt: T, eventAt: T - 60_000, parentTs: null, postStartedAt: null, surface: 'slack' });
      expect(await open(sb, 'C2')).not.toBeNull();
      expect(await open(sa, 'C1', 'regression')).not.toBeNull();
      expect((await sb.incidents()).map((i) => i.dedupeKey).sort()).toEqual(['p1:u9:failed', 'p1:u9:failed', 'p1:u9:regression']);
    });

    it('a post started on one replica is seen pending on the other, and cleared once posted or failed', async () => {
      const { a, b } = await backend.two();
      const sa = createAlertStore(a);
      const sb = createAlertStore(b);
      const i = (await sa.openIncident({ channel: 'C1', pipelineId: 'p1', pipelineName: 'n', updateId: 'u1', kind: 'failed', summary: 's', at: T }))!;
      await sa.postStarted(i.id, T + 1);
      expect(await sb.pendingIncidents()).toMatchObject([{ id: i.id, postStartedAt: T + 1 }]);
      await sb.postFailed(i.id, 'not_in_channel', T + 60_000, T + 2);
      expect(await sa.pendingIncidents()).toMatchObject([{ id: i.id, postStartedAt: null, postAttempts: 1, postError: 'not_in_channel', nextPostAt: T + 60_000 }]);
      await sa.postStarted(i.id, T + 60_001);
      await sb.setPosted(i.id, '1700000000.000100', '1700000000.000100', T + 60_002);
      expect(await sa.pendingIncidents()).toEqual([]);
      expect(await sa.incidentByThread('C1', '1700000000.000100')).toMatchObject({ id: i.id, parentTs: '1700000000.000100', postStartedAt: null });
    });

    it('watches, mutes and checks written by one replica are read by the other', async () => {
      const { a, b } = await backend.two();
      const sa = createAlertStore(a);
      const sb = createAlertStore(b);
      await sa.watch({ channel: 'C1', pipelineId: '*', pipelineName: '*', createdBy: 'U1', createdAt: T, ...DEFAULT_THRESHOLDS, slack: { teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false } });
      await sb.watch({ channel: 'C1', pipelineId: '*', pipelineName: '*', createdBy: 'U2', createdAt: T, regression: 1.25, backlogMin: 30, costSpikePct: 50 });
      expect(await sa.watches('C1')).toEqual([
        { channel: 'C1', pipelineId: '*', pipelineName: '*', createdBy: 'U2', createdAt: T, regression: 1.25, backlogMin: 30, costSpikePct: 50, surface: 'slack', slack: null },
      ]);
      await sa.mute('C1', '*', T + 3_600_000, 'U1');
      expect(await sb.mutedUntil('C1', 'p7', T)).toBe(T + 3_600_000);
      expect(await sb.mutedUntil('C1', 'p7', T + 3_600_000)).toBeNull();
      expect(await sb.unmute('C1', '*')).toBe(true);
      expect(await sa.unmute('C1', '*')).toBe(false);
      await sa.markChecked('C1', 'p1', 'u1', T);
      await sb.markChecked('C1', 'p1', 'u1', T + 1); // the same check twice: no error
      expect(await sb.isChecked('C1', 'p1', 'u1')).toBe(true);
      expect(await sb.isChecked('C1', 'p1', 'u2')).toBe(false);
      expect(await sb.unwatch('C1', 'all')).toBe(1);
      expect(await sa.watches()).toEqual([]);
    });

    it('an open intent resolved by two replicas at once (reconciliation racing): exactly one outcome is written', async () => {
      const { a, b } = await backend.two();
      const sa = createAlertStore(a);
      const sb = createAlertStore(b);
      const id = await sa.audit(intent());
      expect(await sb.openIntents()).toMatchObject([{ id, result: 'pending', expectedLastModified: T - 7_200_000, latestUpdateTime: T - 3_600_000 }]);
      const [x, y] = await Promise.all([
        sa.resolveIntent(id, { result: 'applied', message: 'A', at: T + 1, reconciled: true }),
        sb.resolveIntent(id, { result: 'not_applied', message: 'B', at: T + 2, reconciled: true }),
      ]);
      expect([x, y].filter(Boolean)).toHaveLength(1);
      const row = (await sa.auditRow(id))!;
      expect(row.result).toBe(x ? 'applied' : 'not_applied');
      expect(row.reconciled).toBe(true);
      // the specs stay only with 'applied'
      expect(row.before).toEqual(x ? { photon: false } : null);
      // `force` (the process that made the PUT) overrides
      expect(await sb.resolveIntent(id, { result: 'conflict', message: 'C', at: T + 3, force: true })).toBe(true);
      expect((await sb.auditRow(id))!).toMatchObject({ result: 'conflict', before: null, after: null, resolvedAt: T + 3 });
    });

    it('doneIntent finds the newest applied or open intent by pipeline id or name, for one update or any', async () => {
      const { a, b } = await backend.two();
      const sa = createAlertStore(a);
      const sb = createAlertStore(b);
      const first = await sa.audit(intent({ updateId: 'u1' }));
      await sa.resolveIntent(first, { result: 'applied', message: null, at: T + 1 });
      await sa.audit(intent({ updateId: 'u2', result: 'refused', message: 'not allowed', before: null, after: null }));
      expect((await sb.doneIntent('p1', 'enable-photon', 'u1'))?.id).toBe(first);
      expect((await sb.doneIntent('orders_silver', 'enable-photon', null))?.id).toBe(first);
      expect(await sb.doneIntent('p1', 'enable-photon', 'u2')).toBeNull();
      expect(await sb.doneIntent('p1', 'another-fix', null)).toBeNull();
      expect(await sb.appliedChanges()).toMatchObject([{ auditId: first, pipelineId: 'p1', change: { key: 'photon', value: 'true' }, before: 'false', appliedAt: T }]);
      expect((await sb.pendingFollowups()).map((r) => r.id)).toEqual([first]);
      await sb.setFollowup(first, 'u3', T + 5);
      expect(await sa.pendingFollowups()).toEqual([]);
    });

    it('a newer verdict replaces an older one; an older one arriving late does not', async () => {
      const { a, b } = await backend.two();
      const sa = createAlertStore(a);
      const sb = createAlertStore(b);
      await sa.recordVerdict({ pipelineId: 'p1', updateId: 'u2', bottleneck: 'memory', confidence: 0.8125, at: T + 10 });
      await sb.recordVerdict({ pipelineId: 'p1', updateId: 'u1', bottleneck: 'cpu', confidence: 0.5, at: T });
      expect((await sb.lastVerdicts()).get('p1')).toEqual({ pipelineId: 'p1', updateId: 'u2', bottleneck: 'memory', confidence: 0.8125, at: T + 10 });
    });
  });
}
