/**
 * The Slack / console Start and Cancel buttons (src/surfaces/slack/listeners/experiments.ts) with a
 * fake Web API client and a fake experiment service: a forged or malformed Start value starts
 * nothing; a refusal is an ephemeral note to the clicker alone, worded as the allow-list's (not
 * "Databricks refused"); an allowed Start edits the message through progress to the result, at
 * most one edit per interval but always the newest; Cancel passes the id and the clicker.
 */
import { describe, expect, it, vi } from 'vitest';
import { handleExperimentCancel, handleExperimentStart } from '../../../src/surfaces/slack/listeners/experiments.js';
import type { ExperimentService } from '../../../src/experiment/service.js';
import type { ExperimentOutcome, ExperimentPlan, ExperimentProgress } from '../../../src/experiment/types.js';
import { EXPERIMENT_REFUSED } from '../../../src/experiment/service.js';
import { notAllowed } from '../../../src/errors.js';
import type { WebClient } from '../../../src/surfaces/slack/publish.js';

const plan: ExperimentPlan = { kind: 'benchmark', pipelineId: 'p1', pipelineName: 'orders_silver', iterations: 2, variants: ['A'], scratchTarget: 'main.dlt_doctor_scratch_<id>', estimatedDollars: 4, basis: { updateId: 'u0', durationS: 1500, dollars: 2 }, maxDollars: null, recommendationId: null, recommendationTitle: null, changes: [], diff: [], notes: [] };
const outcome: ExperimentOutcome = {
  experimentId: 'abc123',
  state: 'completed',
  message: null,
  result: { schema: 'dlt-doctor/benchmark@1', pipeline_id: 'p1', pipeline_name: 'orders_silver', clone_pipeline_id: 'c1', iterations: [{ iteration: 1, update_id: 'u1', state: 'COMPLETED', duration_seconds: 1500, records_processed: 9_000_000, throughput_records_per_sec: 6000, cluster_dbus: 4, dollars: 2, dollars_estimated: false }], avg_duration: 1500, avg_throughput: 6000, stdev_duration: null, stdev_throughput: null, total_dollars: 2, cost_per_million_records: 0.22 },
  cleanup: { deleted: ['c1'], left: [], notes: [] },
};
const progress = (done: number, step: ExperimentProgress['step'] = 'running'): ExperimentProgress => ({ experimentId: 'abc123', kind: 'benchmark', pipelineName: 'orders_silver', step, variant: null, iteration: done + 1, iterations: 2, done, total: 2, elapsedMs: 1000 * done, updateElapsedMs: 500, spentDollars: 0, maxDollars: null });

function fakes(o: { refuse?: boolean } = {}) {
  const calls: { method: string; args: Record<string, unknown> }[] = [];
  const client = {
    chat: {
      update: vi.fn(async (a: Record<string, unknown>) => void calls.push({ method: 'update', args: a })),
      postMessage: vi.fn(async (a: Record<string, unknown>) => (calls.push({ method: 'postMessage', args: a }), { ok: true, ts: '2.000' })),
      postEphemeral: vi.fn(async (a: Record<string, unknown>) => void calls.push({ method: 'postEphemeral', args: a })),
    },
  } as unknown as WebClient;
  const start = vi.fn(async (_req: unknown, who: { onProgress?: (p: ExperimentProgress) => void }) => {
    if (o.refuse) throw notAllowed(EXPERIMENT_REFUSED);
    for (let i = 0; i < 5; i++) who.onProgress?.(progress(i % 2));
    return { experimentId: 'abc123', plan, done: Promise.resolve(outcome) };
  });
  const cancel = vi.fn(async () => ({ id: 'abc123', kind: 'benchmark', pipelineName: 'orders_silver' }));
  const experiments = { start, cancel, canRun: () => !o.refuse } as unknown as ExperimentService;
  return { client, calls, start, cancel, experiments };
}
const body = { user: { id: 'U1' }, channel: { id: 'C1' }, message: { ts: '1.000' } } as never;
const value = JSON.stringify({ kind: 'benchmark', pipeline: 'p1', iterations: 2, maxDollars: null });
const deps = (experiments: ExperimentService) => ({ experiments, charts: false, editEveryMs: 60_000, logger: { warn: () => undefined } });

describe('Slack experiment buttons', () => {
  it('malformed or hostile Start values start nothing and tell the clicker alone', async () => {
    for (const bad of ['', 'not json', JSON.stringify({ kind: 'benchmark', pipeline: 'p1', iterations: 99, maxDollars: null }), JSON.stringify({ pipeline: 'p1', iterations: 2, maxDollars: null }), JSON.stringify({ kind: 'benchmark', pipeline: 'x'.repeat(5000), iterations: 2, maxDollars: null }), JSON.stringify({ kind: 'ab-test', pipeline: 'p1', iterations: 2, maxDollars: null, settings: [{ target: 'code', key: 'k', value: 'v' }] })]) {
      const f = fakes();
      await handleExperimentStart({ body, action: { action_id: 'dlt_experiment_start', value: bad }, ack: async () => undefined, client: f.client }, deps(f.experiments));
      expect(f.start).not.toHaveBeenCalled();
      expect(f.calls.map((c) => c.method)).toEqual(['postEphemeral']);
      expect(f.calls[0]!.args.user).toBe('U1');
    }
  });

  it('a refused user gets the allow-list refusal as written, ephemeral; nothing is edited', async () => {
    const f = fakes({ refuse: true });
    await handleExperimentStart({ body, action: { action_id: 'dlt_experiment_start', value }, ack: async () => undefined, client: f.client }, deps(f.experiments));
    expect(f.calls.map((c) => c.method)).toEqual(['postEphemeral']);
    expect(String(f.calls[0]!.args.text)).toMatch(/^Only the people listed in DLT_DOCTOR_APPLY_ALLOWED_USERS/);
    expect(String(f.calls[0]!.args.text)).not.toMatch(/Databricks refused/);
  });

  it('an allowed Start: throttled progress edits of the clicked message, then the result in place', async () => {
    const f = fakes();
    await handleExperimentStart({ body, action: { action_id: 'dlt_experiment_start', value }, ack: async () => undefined, client: f.client }, deps(f.experiments));
    expect(f.start).toHaveBeenCalledWith(JSON.parse(value), expect.objectContaining({ userId: 'U1', actor: { platform: 'slack', userId: 'U1' }, surface: 'slack', channel: 'C1' }));
    const edits = f.calls.filter((c) => c.method === 'update');
    // five reports within the interval: one progress edit, then the result
    expect(edits).toHaveLength(2);
    expect(edits.every((e) => e.args.ts === '1.000' && e.args.channel === 'C1')).toBe(true);
    expect(String(edits[0]!.args.text)).toMatch(/orders_silver: 1\/2 running/);
    expect(String(edits[1]!.args.text)).toMatch(/^Benchmark of orders_silver/);
  });

  it('Cancel: the id and the clicker go to the service; a bad id is refused', async () => {
    const f = fakes();
    await handleExperimentCancel({ body, action: { action_id: 'dlt_experiment_cancel', value: JSON.stringify({ experiment_id: 'abc123' }) }, ack: async () => undefined, client: f.client }, deps(f.experiments));
    expect(f.cancel).toHaveBeenCalledWith('abc123', { userId: 'U1', actor: { platform: 'slack', userId: 'U1' } });
    await handleExperimentCancel({ body, action: { action_id: 'dlt_experiment_cancel', value: JSON.stringify({ experiment_id: "'; DROP" }) }, ack: async () => undefined, client: f.client }, deps(f.experiments));
    expect(f.cancel).toHaveBeenCalledTimes(1);
  });
});
