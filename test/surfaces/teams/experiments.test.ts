/**
 * Benchmarks and A/B tests in Teams (issue 18): `/dlt benchmark <pipeline>` answers with the plan
 * card; its Start (Action.Submit, activity.value) starts the experiment through the experiment
 * service as the Entra user; the plan card gives way to the progress card (edited at most every
 * `progressUpdateMs`, always with the newest progress), then to the result card; Cancel asks the
 * service to stop it. The service is a fake here: the real one creates and deletes pipelines.
 */
import nock from 'nock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandContext, Reply } from '../../../commands/types.js';
import { DoctorError, notAllowed } from '../../../src/errors.js';
import type { ExperimentRequest, ExperimentService, StartInput } from '../../../src/experiment/service.js';
import type { AbTestResult, BenchmarkResult, ExperimentOutcome, ExperimentPlan, ExperimentProgress } from '../../../src/experiment/types.js';
import { throttle } from '../../../src/surfaces/teams/experiments.js';
import { createTeamsSurface } from '../../../src/surfaces/teams/index.js';
import { fakeSource } from '../slack/helpers.js';
import { cardErrors, cardText, connector, messageActivity, post, quietLogger, startHandler, USER } from './helpers.js';

let api: ReturnType<typeof connector> | undefined;
afterEach(() => {
  api?.done();
  api = undefined;
  nock.cleanAll();
});

const PIPELINE_ID = 'pl-orders-silver';
const EXPERIMENT_ID = 'a1b2c3';
const ACTOR = { platform: 'teams', aadObjectId: USER.aadObjectId, tenantId: 'tenant-1', channelId: 'msteams' };

const plan = (kind: ExperimentPlan['kind'] = 'ab-test'): ExperimentPlan => ({
  kind,
  pipelineId: PIPELINE_ID,
  pipelineName: 'orders_silver',
  iterations: 2,
  variants: kind === 'ab-test' ? ['A', 'B'] : ['A'],
  scratchTarget: kind === 'ab-test' ? 'main.dlt_doctor_scratch.orders_silver_<id>_{a,b}' : 'main.dlt_doctor_scratch.orders_silver_<id>',
  estimatedDollars: 4.8,
  basis: { updateId: 'upd-42', durationS: 600, dollars: 1.2 },
  maxDollars: null,
  recommendationId: kind === 'ab-test' ? 'enable-photon' : null,
  recommendationTitle: kind === 'ab-test' ? 'Enable Photon' : null,
  changes: kind === 'ab-test' ? [{ target: 'pipeline', key: 'photon', value: 'true' }] : [],
  diff: kind === 'ab-test' ? [{ key: 'photon', before: 'false', after: 'true' }] : [],
  notes: [],
});

function bench(throughput: number): BenchmarkResult {
  const it = (i: number) => ({ iteration: i, update_id: `u${throughput}-${i}`, state: 'COMPLETED', duration_seconds: 1_000_000 / throughput, records_processed: 1_000_000, throughput_records_per_sec: throughput + i, cluster_dbus: 2, dollars: 1.1, dollars_estimated: false });
  return { schema: 'dlt-doctor/benchmark@1', pipeline_id: PIPELINE_ID, pipeline_name: 'orders_silver', clone_pipeline_id: 'clone-1', iterations: [it(1), it(2)], avg_duration: 1_000_000 / throughput, avg_throughput: throughput + 1.5, stdev_duration: 3, stdev_throughput: 0.7, total_dollars: 2.2, cost_per_million_records: 1.1 };
}

const result: AbTestResult = {
  schema: 'dlt-doctor/ab-test@1',
  pipeline_id: PIPELINE_ID,
  pipeline_name: 'orders_silver',
  config_a: { photon: 'false' },
  config_b: { photon: 'true' },
  results_a: bench(1000),
  results_b: bench(1500),
  throughput_improvement: 49.9,
  duration_improvement: 33.3,
  cost_per_million_records_a: 1.1,
  cost_per_million_records_b: 1.1,
  significant: true,
  p_value: 0.001,
  recommendation: 'apply',
  summary: 'B is faster by 50% at the same cost per million records: apply it.',
  recommendation_id: 'enable-photon',
  changes: [{ target: 'pipeline', key: 'photon', value: 'true' }],
};
const outcome: ExperimentOutcome = { experimentId: EXPERIMENT_ID, state: 'completed', message: null, result, cleanup: { deleted: ['clone-a', 'clone-b'], left: [], notes: [] } };

const progress = (done: number, o: Partial<ExperimentProgress> = {}): ExperimentProgress => ({ experimentId: EXPERIMENT_ID, kind: 'ab-test', pipelineName: 'orders_silver', step: 'running', variant: done % 2 ? 'B' : 'A', iteration: Math.floor(done / 2) + 1, iterations: 2, done, total: 4, elapsedMs: done * 60_000, updateElapsedMs: 30_000, spentDollars: done * 1.1, maxDollars: null, ...o });

/** The experiment service with its four entry points faked; `finish` settles the running one. */
function fakeExperiments(o: { allowed?: boolean; startError?: Error; gate?: Promise<void> } = {}) {
  let finish!: (x: ExperimentOutcome) => void;
  const done = new Promise<ExperimentOutcome>((resolve) => {
    finish = resolve;
  });
  let who: StartInput | null = null;
  const service = {
    canRun: vi.fn(() => o.allowed ?? true),
    plan: vi.fn(async (req: ExperimentRequest) => plan(req.kind)),
    start: vi.fn(async (req: ExperimentRequest, w: StartInput) => {
      await o.gate;
      if (o.startError) throw o.startError;
      who = w;
      return { experimentId: EXPERIMENT_ID, plan: plan(req.kind), done };
    }),
    cancel: vi.fn(async (ref: string) => ({ id: ref, kind: 'ab-test', pipelineName: 'orders_silver' })),
  };
  return { service, experiments: service as unknown as ExperimentService, finish, progress: (p: ExperimentProgress) => who!.onProgress!(p) };
}

async function withBot(o: { experiments?: ExperimentService | null; run?: (text: string, ctx: CommandContext) => Promise<Reply>; progressUpdateMs?: number; progressAfterMs?: number },  body: (url: string, teams: ReturnType<typeof createTeamsSurface>, logger: ReturnType<typeof quietLogger>) => Promise<void>) {
  api = api ?? connector();
  const logger = quietLogger();
  const teams = createTeamsSurface({ config: null, db: null, source: fakeSource, logger, progressAfterMs: o.progressAfterMs ?? 60_000, progressUpdateMs: o.progressUpdateMs ?? 150, ...(o.run ? { run: o.run } : {}), ...(o.experiments !== undefined ? { experiments: o.experiments } : {}) });
  const server = await startHandler(teams.handler);
  try {
    await body(server.url, teams, logger);
  } finally {
    await teams.bot.idle();
    await server.close();
  }
}

const REQUEST: ExperimentRequest = { kind: 'ab-test', pipeline: PIPELINE_ID, iterations: 2, maxDollars: null, recommendationId: 'enable-photon' };
const startClick = (request: unknown = REQUEST, replyToId: string | null = 'plan-1') => messageActivity('', { value: { action: 'dlt_experiment_start', request }, ...(replyToId ? { replyToId } : {}) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Action = { type: string; title?: string; data?: Record<string, unknown> };
const actionsOf = (card: unknown) => ((card as { actions?: Action[] }).actions ?? []);

describe('Teams: benchmark and ab-test plan cards', () => {
  it('`/dlt benchmark orders_silver` answers with the plan card and its Start; the Start starts exactly that request', async () => {
    const fake = fakeExperiments();
    // the real command layer (runCommandText): the plan comes from ctx.experiments
    await withBot({ experiments: fake.experiments }, async (url) => {
      await post(url, messageActivity('/dlt benchmark orders_silver', { mention: true }));
      expect(fake.service.plan).toHaveBeenCalledWith({ kind: 'benchmark', pipeline: 'orders_silver', iterations: 3, maxDollars: null });
      // the allow-list is asked with the Teams identity apply uses
      expect(fake.service.canRun).toHaveBeenCalledWith(ACTOR);
      const [card] = api!.cards();
      expect(cardErrors(card)).toEqual([]);
      expect(cardText(card)).toContain('Benchmark orders_silver');
      const startAction = actionsOf(card).find((a) => a.data?.action === 'dlt_experiment_start')!;
      expect(startAction).toMatchObject({ type: 'Action.Submit', title: 'Start benchmark' });
      expect(startAction.data!.request).toEqual({ kind: 'benchmark', pipeline: PIPELINE_ID, iterations: 3, maxDollars: null });
      // Teams posts the button's data back as activity.value: it passes the bot's own validation
      await post(url, messageActivity('', { value: startAction.data, replyToId: 'posted-1' }));
      expect(fake.service.start).toHaveBeenCalledWith({ kind: 'benchmark', pipeline: PIPELINE_ID, iterations: 3, maxDollars: null }, expect.objectContaining({ userId: USER.aadObjectId, actor: ACTOR, surface: 'teams' }));
      fake.finish({ ...outcome, result: bench(1000) });
    });
  });

  it('`/dlt ab-test …` by a person not on the allow-list: the refusal, no plan read', async () => {
    const fake = fakeExperiments({ allowed: false });
    await withBot({ experiments: fake.experiments }, async (url) => {
      await post(url, messageActivity('dlt ab-test orders_silver enable-photon', { mention: true }));
      expect(fake.service.plan).not.toHaveBeenCalled();
      const text = cardText(api!.cards()[0]);
      expect(text).toContain('Only the people listed in DLT_DOCTOR_APPLY_ALLOWED_USERS may run benchmarks');
      expect(text).not.toContain('Databricks refused access');
    });
  });

  it('without the experiment service the command says so and Start / Cancel answer that benchmarks are not enabled', async () => {
    await withBot({ experiments: null }, async (url) => {
      await post(url, messageActivity('dlt benchmark orders_silver', { mention: true }));
      await post(url, startClick());
      await post(url, messageActivity('', { value: { action: 'dlt_experiment_cancel', experiment_id: EXPERIMENT_ID } }));
      const texts = api!.cards().map(cardText);
      expect(texts).toHaveLength(3);
      expect(texts[1]).toContain('Benchmarks and A/B tests are not enabled in this bot');
      expect(texts[2]).toContain('Benchmarks and A/B tests are not enabled in this bot');
    });
  });
});

describe('Teams: Start runs the experiment and edits its card', () => {
  it('an allowed user: the plan card becomes the progress card, is edited (throttled, newest wins) and ends as the result with Apply', async () => {
    const fake = fakeExperiments();
    const run = vi.fn(async (text: string): Promise<Reply> => ({ kind: 'text', text: `ran ${text}` }));
    await withBot({ experiments: fake.experiments, run, progressUpdateMs: 500 }, async (url, teams) => {
      expect((await post(url, startClick())).status).toBe(200);
      expect(fake.service.start).toHaveBeenCalledOnce();
      const [request, who] = fake.service.start.mock.calls[0]!;
      expect(request).toEqual(REQUEST);
      expect(who).toMatchObject({ userId: USER.aadObjectId, actor: ACTOR, surface: 'teams', channel: '19:abc123@thread.tacv2', threadTs: null });
      // in the turn: the clicked plan card (replyToId) replaced by the progress card, Cancel on it
      expect(api!.calls.map((c) => [c.method, c.path.split('/').pop()])).toEqual([['PUT', 'plan-1']]);
      const first = api!.cards()[0];
      expect(cardErrors(first)).toEqual([]);
      expect(cardText(first)).toContain('orders_silver: creating the clones');
      expect(actionsOf(first).find((a) => a.title === 'Cancel')?.data).toEqual({ action: 'dlt_experiment_cancel', experiment_id: EXPERIMENT_ID });

      // a burst of reports: one edit, with the last of them
      fake.progress(progress(0));
      fake.progress(progress(1));
      fake.progress(progress(2));
      await vi.waitFor(() => expect(api!.calls).toHaveLength(2), { timeout: 3000, interval: 10 });
      expect(api!.calls.map((c) => c.method)).toEqual(['PUT', 'PUT']);
      expect(cardText(api!.cards()[1])).toContain('A 2/2 running');
      // the next report waits for the interval, then goes out
      fake.progress(progress(3, { step: 'measured' }));
      await sleep(50);
      expect(api!.calls).toHaveLength(2);
      await vi.waitFor(() => expect(api!.calls).toHaveLength(3), { timeout: 3000, interval: 10 });
      expect(cardText(api!.cards()[2])).toContain('B 2/2 measured');

      fake.finish(outcome);
      await teams.bot.idle();
      expect(api!.calls.map((c) => [c.method, c.path.split('/').pop()])).toEqual([['PUT', 'plan-1'], ['PUT', 'plan-1'], ['PUT', 'plan-1'], ['PUT', 'plan-1']]);
      // the burst's first reports were never shown
      expect(api!.cards().map(cardText).join('\n')).not.toMatch(/A 1\/2 running|B 1\/2 running/);
      const resultCard = api!.cards()[3];
      expect(cardErrors(resultCard)).toEqual([]);
      expect(cardText(resultCard)).toContain('A/B test on orders_silver: apply it');
      expect(cardText(resultCard)).not.toContain('Cancel');
      const applyAction = actionsOf(resultCard).find((a) => a.data?.action === 'dlt_apply')!;
      expect(applyAction.title).toBe('Apply…');

      // its Apply reaches the existing apply flow: the preview of that fix, for the update planned from
      await post(url, messageActivity('', { value: applyAction.data, replyToId: 'plan-1' }));
      expect(run.mock.calls.map((c) => c[0])).toEqual(['apply enable-photon --pipeline pl-orders-silver --update upd-42']);
    });
  });

  it('a card that cannot be edited: the progress and then the result are posted as new messages; failed edits never stop it', async () => {
    const fake = fakeExperiments();
    // every edit fails (registered before the connector's PUT, so it answers first)
    nock('https://smba.trafficmanager.net').persist().put(/.*/).reply(404, { error: { code: 'NotFound', message: 'gone' } });
    api = connector();
    await withBot({ experiments: fake.experiments, progressUpdateMs: 20 }, async (url, teams, logger) => {
      await post(url, startClick(REQUEST, 'gone-1'));
      expect(api!.calls.map((c) => c.method)).toEqual(['POST']);
      expect(cardText(api!.cards()[0])).toContain('creating the clones');
      fake.progress(progress(1));
      await sleep(100);
      fake.finish(outcome);
      await teams.bot.idle();
      expect(api!.calls.map((c) => c.method)).toEqual(['POST', 'POST']);
      // a new message in the conversation (thread) the Start was clicked in, not a reply to a made-up activity
      expect(api!.calls[1]!.path).toBe('/teams/v3/conversations/19:abc123@thread.tacv2;messageid=1700000000000/activities');
      expect(cardText(api!.cards()[1])).toContain('A/B test on orders_silver: apply it');
      expect(logger.lines.join('\n')).toMatch(/updating the progress card posted-1 failed/);
    });
  });

  it('a slow start (Databricks read first) answers /api/messages at once and goes on in a new turn', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const fake = fakeExperiments({ gate });
    await withBot({ experiments: fake.experiments, progressAfterMs: 10 }, async (url, teams) => {
      expect((await post(url, startClick())).status).toBe(200);
      expect(api!.calls).toEqual([]);
      open();
      await vi.waitFor(() => expect(api!.calls).toHaveLength(1), { timeout: 3000, interval: 10 });
      expect(api!.calls[0]).toMatchObject({ method: 'PUT', path: '/teams/v3/conversations/19:abc123@thread.tacv2;messageid=1700000000000/activities/plan-1' });
      expect(cardText(api!.cards()[0])).toContain('creating the clones');
      fake.finish(outcome);
      await teams.bot.idle();
      expect(api!.calls.map((c) => [c.method, c.path.split('/').pop()])).toEqual([['PUT', 'plan-1'], ['PUT', 'plan-1']]);
    });
    // refused after the slow read: the error card, as a new message in the thread
    let open2!: () => void;
    const gate2 = new Promise<void>((resolve) => {
      open2 = resolve;
    });
    const busy = fakeExperiments({ gate: gate2, startError: new DoctorError('CONFLICT', 'An experiment (benchmark 0f0f0f) is already running on orders_silver.') });
    api!.calls.splice(0);
    await withBot({ experiments: busy.experiments, progressAfterMs: 10 }, async (url, teams) => {
      await post(url, startClick());
      open2();
      await teams.bot.idle();
      expect(api!.calls.map((c) => [c.method, c.path])).toEqual([['POST', '/teams/v3/conversations/19:abc123@thread.tacv2;messageid=1700000000000/activities']]);
      expect(cardText(api!.cards()[0])).toContain('already running on orders_silver');
    });
  });

  it('a Start without replyToId posts the progress card and edits that message', async () => {
    const fake = fakeExperiments();
    await withBot({ experiments: fake.experiments }, async (url, teams) => {
      await post(url, startClick(REQUEST, null));
      fake.finish(outcome);
      await teams.bot.idle();
      expect(api!.calls.map((c) => c.method)).toEqual(['POST', 'PUT']);
      expect(api!.calls[1]!.path).toMatch(/\/activities\/posted-1$/);
    });
  });

  it('a person not on the allow-list: the error card, nothing started, no card edited', async () => {
    const fake = fakeExperiments({ allowed: false });
    await withBot({ experiments: fake.experiments }, async (url) => {
      await post(url, startClick());
      expect(fake.service.canRun).toHaveBeenCalledWith(ACTOR);
      expect(fake.service.start).not.toHaveBeenCalled();
      expect(api!.calls.map((c) => c.method)).toEqual(['POST']);
      const text = cardText(api!.cards()[0]);
      expect(text).toContain('DLT_DOCTOR_APPLY_ALLOWED_USERS');
      expect(text).toContain('Nothing was started');
    });
  });

  it('refused, busy or unplannable at start: the service’s reason on the error card, never a stack', async () => {
    for (const [err, expected] of [
      [new DoctorError('CONFLICT', 'An experiment (benchmark 0f0f0f) is already running on orders_silver, started by aad-2 at 09:00 UTC.'), 'already running on orders_silver'],
      [notAllowed('Only the people listed in DLT_DOCTOR_APPLY_ALLOWED_USERS may run benchmarks and A/B tests'), 'DLT_DOCTOR_APPLY_ALLOWED_USERS'],
      [new Error('TypeError at /srv/app/runner.js:12'), 'Something went wrong'],
    ] as const) {
      const fake = fakeExperiments({ startError: err });
      await withBot({ experiments: fake.experiments }, async (url) => {
        await post(url, startClick());
        expect(fake.service.start).toHaveBeenCalledOnce();
        const calls = api!.calls.splice(0);
        expect(calls.map((c) => c.method)).toEqual(['POST']);
        const text = cardText(calls[0]!.body.attachments![0]!.content);
        expect(text).toContain(expected);
        expect(text).not.toContain('/srv/app');
        // the allow-list's refusal is dlt-doctor's, not Databricks'
        expect(text).not.toContain('Databricks refused access');
      });
    }
  });

  it('a malformed or hostile request runs nothing and answers with the error card', async () => {
    const fake = fakeExperiments();
    const hostile = `orders\n<at>everyone</at>${'x'.repeat(5000)}`;
    const bad: unknown[] = [
      { ...REQUEST, iterations: 99 },
      { pipeline: PIPELINE_ID, iterations: 2, maxDollars: null },
      { ...REQUEST, pipeline: hostile },
      { ...REQUEST, pipeline: 'a\u0000b' },
      { ...REQUEST, iterations: 2.5 },
      { ...REQUEST, maxDollars: -5 },
      { ...REQUEST, kind: 'drop-table' },
      { ...REQUEST, recommendationId: 'x y; rm -rf /' },
      { kind: 'ab-test', pipeline: PIPELINE_ID, iterations: 2, maxDollars: null, settings: [{ target: 'pipeline', key: '$(whoami)', value: 'true' }] },
      { kind: 'ab-test', pipeline: PIPELINE_ID, iterations: 2, maxDollars: null, settings: [{ target: 'root', key: 'photon', value: 'true' }] },
      'benchmark orders_silver',
      null,
    ];
    await withBot({ experiments: fake.experiments }, async (url) => {
      for (const request of bad) await post(url, startClick(request));
      await post(url, messageActivity('', { value: { action: 'dlt_experiment_start' } }));
      expect(fake.service.start).not.toHaveBeenCalled();
      expect(fake.service.canRun).not.toHaveBeenCalled();
      const cards = api!.cards();
      expect(cards).toHaveLength(bad.length + 1);
      expect(api!.calls.every((c) => c.method === 'POST')).toBe(true);
      for (const card of cards) {
        expect(cardErrors(card)).toEqual([]);
        expect(cardText(card)).toContain('nothing was started');
        expect(cardText(card)).not.toContain('everyone');
      }
    });
  });
});

describe('Teams: Cancel', () => {
  it('asks the service to cancel that experiment as the clicking user and says so', async () => {
    const fake = fakeExperiments();
    await withBot({ experiments: fake.experiments }, async (url) => {
      await post(url, messageActivity('', { value: { action: 'dlt_experiment_cancel', experiment_id: EXPERIMENT_ID }, replyToId: 'plan-1' }));
      expect(fake.service.cancel).toHaveBeenCalledWith(EXPERIMENT_ID, { userId: USER.aadObjectId, actor: ACTOR });
      expect(cardText(api!.cards()[0])).toContain(`Canceling the ab-test ${EXPERIMENT_ID} of orders_silver`);
    });
  });

  it('a bad id, a refused person or nothing running: the error card', async () => {
    const fake = fakeExperiments();
    fake.service.cancel.mockRejectedValueOnce(new DoctorError('BAD_USAGE', `No experiment is running on ${EXPERIMENT_ID}.`));
    await withBot({ experiments: fake.experiments }, async (url) => {
      await post(url, messageActivity('', { value: { action: 'dlt_experiment_cancel', experiment_id: '../../x' } }));
      await post(url, messageActivity('', { value: { action: 'dlt_experiment_cancel', experiment_id: EXPERIMENT_ID } }));
      expect(fake.service.cancel).toHaveBeenCalledOnce();
      const texts = api!.cards().map(cardText);
      expect(texts[0]).toContain('no readable experiment id');
      expect(texts[1]).toContain(`No experiment is running on ${EXPERIMENT_ID}`);
    });
    api?.done();
    api = undefined;
    const refused = fakeExperiments({ allowed: false });
    await withBot({ experiments: refused.experiments }, async (url) => {
      await post(url, messageActivity('', { value: { action: 'dlt_experiment_cancel', experiment_id: EXPERIMENT_ID } }));
      expect(refused.service.cancel).not.toHaveBeenCalled();
      expect(cardText(api!.cards()[0])).toContain('may cancel an experiment');
    });
  });
});

describe('throttle', () => {
  it('sends the first value after the interval from release, then at most one per interval, always the newest', async () => {
    const sent: number[] = [];
    const t = throttle<number>(async (v) => void sent.push(v), 60);
    t.push(1);
    expect(t.take()).toBe(1);
    t.push(2);
    t.release();
    t.push(3);
    await sleep(20);
    expect(sent).toEqual([]);
    await sleep(80);
    expect(sent).toEqual([3]);
    t.push(4);
    t.push(5);
    await sleep(100);
    expect(sent).toEqual([3, 5]);
    t.push(6);
    await t.close();
    await sleep(100);
    expect(sent).toEqual([3, 5]);
  });

  it('a failed send does not stop the next one', async () => {
    const sent: number[] = [];
    const t = throttle<number>(async (v) => {
      sent.push(v);
      if (v === 1) throw new Error('boom');
    }, 10);
    t.release();
    t.push(1);
    await sleep(30);
    t.push(2);
    await sleep(30);
    expect(sent).toEqual([1, 2]);
    await t.close();
  });
});
