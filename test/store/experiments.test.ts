/**
 * The experiments repository on both store backends (issue 19): one running experiment per
 * pipeline even when two replicas start one at once, cancel requests seen across processes,
 * clones recorded and marked deleted, the audit steps in order.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentStore, type StartExperiment } from '../../src/store/experiments.js';
import { EXPERIMENT_MIGRATIONS } from '../../src/store/migrations/experiments.js';
import type { ExperimentPlan } from '../../src/experiment/types.js';
import { storeBackends } from '../support/store-backends.js';

const backends = storeBackends(EXPERIMENT_MIGRATIONS);
beforeAll(() => backends.setup(), 120_000);
afterAll(() => backends.teardown());
afterEach(() => backends.cleanup());

const plan = { kind: 'benchmark', pipelineId: 'p1', pipelineName: 'orders_silver', iterations: 2, variants: ['A'] } as unknown as ExperimentPlan;
const exp = (id: string, pipelineId = 'p1'): StartExperiment => ({ id, kind: 'benchmark', pipelineId, pipelineName: 'orders_silver', createdBy: 'U1', surface: 'slack', channel: 'C1', threadTs: null, iterations: 2, maxDollars: 12.5, plan, startedAt: 1_796_000_000_000 });

for (const backend of backends.list) {
  describe.skipIf(backend.skip)(`experiments store (${backend.name})`, () => {
    it('one running experiment per pipeline, even when two replicas start one at the same moment', async () => {
      const { a, b } = await backend.two();
      const sa = createExperimentStore(a);
      const sb = createExperimentStore(b);
      const won = await Promise.all([sa.start(exp('aaaaaa')), sb.start(exp('bbbbbb')), sa.start(exp('cccccc'))]);
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await sb.start(exp('dddddd', 'p2'))).toBe(true); // another pipeline is free
      const running = await sa.runningFor('p1');
      expect(running).toMatchObject({ pipelineId: 'p1', state: 'running', maxDollars: 12.5, iterations: 2, startedAt: 1_796_000_000_000 });
      expect(running!.plan).toEqual(plan);
      // once it ends, the pipeline is free again
      expect(await sb.finish(running!.id, { state: 'completed', at: 1_796_000_100_000, message: null, result: { ok: true } })).toBe(true);
      expect(await sb.finish(running!.id, { state: 'failed', at: 1, message: 'again', result: null })).toBe(false);
      expect(await sa.get(running!.id)).toMatchObject({ state: 'completed', endedAt: 1_796_000_100_000, result: { ok: true } });
      expect(await sa.start(exp('eeeeee'))).toBe(true);
    });

    it('a cancel asked on one replica is seen by the other; asked once', async () => {
      const { a, b } = await backend.two();
      const sa = createExperimentStore(a);
      const sb = createExperimentStore(b);
      await sa.start(exp('abc123'));
      expect(await sa.cancelRequested('abc123')).toBeNull();
      expect(await sb.requestCancel('abc123', 'U2')).toBe(true);
      expect(await sb.requestCancel('abc123', 'U3')).toBe(false);
      expect(await sa.cancelRequested('abc123')).toBe('U2');
    });

    it('clones recorded once, live until deleted; steps in order; heartbeats renew', async () => {
      const { a, b } = await backend.two();
      const sa = createExperimentStore(a);
      const sb = createExperimentStore(b);
      await sa.start(exp('abc123'));
      await sa.addClone('abc123', 'A', 'clone-a', 'main.s_abc123_a', 10);
      await sb.addClone('abc123', 'A', 'clone-a', 'main.s_abc123_a', 11); // the orphan search finding it again
      await sa.addClone('abc123', 'B', 'clone-b', 'main.s_abc123_b', 12);
      expect((await sb.liveClones()).map((c) => c.cloneId)).toEqual(['clone-a', 'clone-b']);
      await sb.cloneCleanupFailed('abc123', 'clone-b', 'x'.repeat(900));
      await sa.cloneDeleted('abc123', 'clone-a', 20);
      const clones = await sb.clones('abc123');
      expect(clones.map((c) => [c.cloneId, c.deletedAt, c.cleanupError?.length ?? null])).toEqual([['clone-a', 20, null], ['clone-b', null, 500]]);
      for (const [i, name] of ['started', 'clone-created', 'cleanup'].entries()) await (i % 2 ? sb : sa).step('abc123', 100 + i, name, i === 1 ? { clone_id: 'clone-a' } : null);
      expect(await sa.steps('abc123')).toEqual([{ at: 100, step: 'started', detail: null }, { at: 101, step: 'clone-created', detail: '{"clone_id":"clone-a"}' }, { at: 102, step: 'cleanup', detail: null }]);
      await sb.heartbeat('abc123', 555);
      expect((await sa.running())[0]!.heartbeatAt).toBe(555);
    });
  });
}
