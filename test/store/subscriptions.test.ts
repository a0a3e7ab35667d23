/**
 * Digest subscriptions and runs on both store backends (issue 19): the run of a period is recorded
 * by exactly one caller even when two replicas fire the same period at the same moment — the
 * exactly-once rule of the digest (recorded before posting) across replicas.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { createSubscriptionStore } from '../../src/store/subscriptions.js';
import { storeBackends } from '../support/store-backends.js';

const backends = storeBackends(MIGRATIONS.filter((m) => ['002-digest-subscriptions', '003-digest-subscriptions-slack-installation'].includes(m.id)));
beforeAll(() => backends.setup(), 120_000);
afterAll(() => backends.teardown());
afterEach(() => backends.cleanup());

const clock = () => new Date('2026-11-23T08:00:00Z');
const weekly = { surface: 'slack' as const, cron: '0 8 * * 1', tz: 'Europe/Berlin', filter: null, createdBy: 'U1' };

for (const backend of backends.list) {
  describe.skipIf(backend.skip)(`subscriptions store (${backend.name})`, () => {
    it('add gives ids and keeps the installation; list filters; remove only in its channel', async () => {
      const { a, b } = await backend.two();
      const sa = createSubscriptionStore(a, clock);
      const sb = createSubscriptionStore(b, clock);
      const s1 = await sa.add({ ...weekly, channel: 'C1', slack: { teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false } });
      const s2 = await sb.add({ ...weekly, channel: 'C2', filter: 'orders_*' });
      expect(s2.id).toBeGreaterThan(s1.id);
      expect(s1).toMatchObject({ channel: 'C1', createdAt: '2026-11-23T08:00:00.000Z', slack: { teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false } });
      expect(s2.slack).toBeNull();
      expect((await sb.list({ channel: 'C1' })).map((s) => s.id)).toEqual([s1.id]);
      expect((await sa.list({ surface: 'slack' })).map((s) => s.filter)).toEqual([null, 'orders_*']);
      expect(await sa.remove(s1.id, { channel: 'C2' })).toBe(false);
      expect(await sb.get(s1.id)).toMatchObject({ id: s1.id });
      expect(await sa.remove(s1.id, { channel: 'C1' })).toBe(true);
      expect(await sb.get(s1.id)).toBeNull();
    });

    it('a period is recorded once even when two replicas fire it at the same moment; posted, pending, removed with its subscription', async () => {
      const { a, b } = await backend.two();
      const sa = createSubscriptionStore(a, clock);
      const sb = createSubscriptionStore(b, clock);
      const sub = await sa.add({ ...weekly, channel: 'C1' });
      const period = '2026-11-23T08:00:00.000Z';
      const won = await Promise.all([sa.recordRun(sub.id, period), sb.recordRun(sub.id, period), sa.recordRun(sub.id, period), sb.recordRun(sub.id, period)]);
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await sb.pendingRuns()).toEqual([{ subscriptionId: sub.id, periodKey: period, state: 'recorded', messageTs: null, recordedAt: '2026-11-23T08:00:00.000Z', postedAt: null }]);
      await sb.markPosted(sub.id, period, '1700000000.000100');
      expect(await sa.getRun(sub.id, period)).toMatchObject({ state: 'posted', messageTs: '1700000000.000100' });
      expect(await sa.pendingRuns()).toEqual([]);
      expect(await sa.recordRun(sub.id, period)).toBe(false);
      await sa.remove(sub.id);
      expect(await sb.getRun(sub.id, period)).toBeNull();
    });
  });
}
