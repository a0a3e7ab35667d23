import { describe, expect, it, vi } from 'vitest';
import type { Reply } from '../../../commands/types.js';
import { pipelineNotFound, sourceUnavailable } from '../../../src/errors.js';
import { limitViolations } from '../../../templates/blocks/split.js';
import { fakeDiagnosis, fakeDiagnosisReply, largestDiagnosis } from '../../support/fake-diagnosis.js';
import { fakeSource, slashCommand, testApp, textOf } from './helpers.js';

const helpReply: Reply = {
  kind: 'help',
  command: null,
  commands: [
    { name: 'why-slow', summary: 'Diagnose the latest update', usage: 'why-slow <pipeline> [--update ID]', examples: ['why-slow orders_silver'] },
    { name: 'pipelines', summary: 'List pipelines', usage: 'pipelines [filter]', examples: ['pipelines orders'] },
  ],
};

describe('/dlt slash command', () => {
  it('help: acks, then answers the asker alone with usage and examples, posting nothing in the channel', async () => {
    const t = testApp(async () => helpReply);
    const ack = await t.receiver.send(slashCommand('help'));
    expect(ack).toHaveBeenCalledTimes(1);
    expect(t.run).toHaveBeenCalledWith('help', expect.objectContaining({ surface: 'slack', channelId: 'C1', userId: 'U1' }));
    const [respond] = t.api.of('respond');
    expect(respond?.params.response_type).toBe('ephemeral');
    expect(textOf(respond)).toContain('/dlt why-slow &lt;pipeline&gt; [--update ID]');
    expect(textOf(respond)).toContain('why-slow orders_silver');
    expect(t.api.of('chat.postMessage')).toHaveLength(0);
  });

  it('an empty /dlt runs help', async () => {
    const t = testApp(async () => helpReply);
    await t.receiver.send(slashCommand('   '));
    expect(t.run.mock.calls[0]?.[0]).toBe('help');
    expect(t.api.of('respond')[0]?.params.response_type).toBe('ephemeral');
  });

  it('acks before the command runs', async () => {
    let ackedBeforeRun = false;
    const t = testApp(async () => {
      ackedBeforeRun = ackSpy.mock.calls.length === 1;
      return fakeDiagnosisReply();
    });
    const body = slashCommand('why-slow orders_silver');
    const ackSpy = vi.fn(async () => undefined);
    await t.slack.app.processEvent({ body, ack: ackSpy } as never);
    expect(ackSpy).toHaveBeenCalledTimes(1);
    expect(ackedBeforeRun).toBe(true);
  });

  it('why-slow: progress reported before the queue could send it is superseded; the final reply is always sent', async () => {
    const t = testApp(async (_text, ctx) => {
      ctx.onProgress?.('collecting');
      ctx.onProgress?.('analysing');
      return fakeDiagnosisReply();
    });
    await t.receiver.send(slashCommand('why-slow orders_silver'));
    const updates = t.api.of('chat.update');
    // 'collecting' was superseded by 'analysing' before it started, 'analysing' by the final reply
    expect(updates.map((u) => textOf(u).includes('Diagnosing'))).toEqual([false]);
    expect(updates[0]?.params.text).toContain('orders_silver: CPU-bound');
    expect(t.api.of('chat.postMessage')).toHaveLength(1);
  });

  it('why-slow: posts a placeholder, updates it with progress, then replaces it with the diagnosis', async () => {
    // progress arrives between the command's calls (a macrotask apart), each sent before the next
    const tick = () => new Promise((r) => setTimeout(r, 0));
    const t = testApp(async (_text, ctx) => {
      ctx.onProgress?.('collecting');
      await tick();
      ctx.onProgress?.('analysing');
      await tick();
      return fakeDiagnosisReply();
    });
    const ack = await t.receiver.send(slashCommand('why-slow orders_silver'));
    expect(ack).toHaveBeenCalled();
    const posts = t.api.of('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.params.channel).toBe('C1');
    expect(textOf(posts[0])).toContain('Diagnosing `orders_silver`…');
    const placeholderTs = '1001.000100';
    const updates = t.api.of('chat.update');
    expect(updates.map((u) => u.params.ts)).toEqual([placeholderTs, placeholderTs, placeholderTs]);
    expect(textOf(updates[0])).toContain('Diagnosing `orders_silver`… collecting');
    expect(textOf(updates[1])).toContain('Diagnosing `orders_silver`… analysing');
    const final = updates[2]!;
    expect(final.params.text).toContain('orders_silver: CPU-bound');
    const blocks = final.params.blocks as { type: string; text?: { text: string }; elements?: { action_id: string; value?: string; url?: string }[] }[];
    expect(blocks[0]?.type).toBe('header');
    expect(blocks[0]?.text?.text).toContain('CPU-bound');
    const actions = blocks.find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => e.action_id)).toEqual(['dlt_show_fixes', 'dlt_compare', 'dlt_rediagnose', 'dlt_open_in_databricks']);
    expect(JSON.parse(actions.elements![0]!.value!)).toEqual({ pipeline_id: 'pl-orders-silver', update_id: 'upd-42' });
    expect(actions.elements![3]!.url).toContain('/pipelines/pl-orders-silver');
    expect(textOf(final)).toContain('autoscale.max_workers = 16');
    expect(t.api.of('respond')).toHaveLength(0);
  });

  it('why-slow with charts: uploads the chart into the diagnosis thread', async () => {
    const t = testApp(async () => fakeDiagnosisReply(), { charts: true });
    await t.receiver.send(slashCommand('why-slow orders_silver'));
    const get = t.api.of('files.getUploadURLExternal');
    expect(get).toHaveLength(1);
    expect(String(get[0]?.params.filename)).toMatch(/orders_silver-upd-42\.png$/);
    expect(Number(get[0]?.params.length)).toBeGreaterThan(1000);
    expect(t.api.of('upload')).toHaveLength(1);
    const complete = t.api.of('files.completeUploadExternal')[0];
    expect(complete?.params.channel_id).toBe('C1');
    expect(complete?.params.thread_ts).toBe('1001.000100');
  });

  it('a chart upload failure is logged and the diagnosis still stands', async () => {
    const t = testApp(async () => fakeDiagnosisReply(), { charts: true });
    t.api.on('files.getUploadURLExternal', () => ({ body: { ok: false, error: 'missing_scope' } }));
    await t.receiver.send(slashCommand('why-slow orders_silver'));
    expect(t.api.of('chat.update').at(-1)?.params.text).toContain('CPU-bound');
    expect(t.logger.lines.join('\n')).toContain('chart upload failed');
  });

  it('unknown pipeline: removes the placeholder and answers ephemerally with "Did you mean"', async () => {
    const t = testApp(async () => {
      throw pipelineNotFound('orders_silvr', ['orders_silver', 'orders_gold']);
    });
    await t.receiver.send(slashCommand('why-slow orders_silvr'));
    expect(t.api.of('chat.delete').map((c) => c.params.ts)).toEqual(['1001.000100']);
    const [respond] = t.api.of('respond');
    expect(respond?.params.response_type).toBe('ephemeral');
    expect(textOf(respond)).toContain('Did you mean `orders_silver`, `orders_gold`?');
    expect(textOf(respond)).toContain('Example: `/dlt why-slow orders_silver`');
    expect(t.api.of('chat.update')).toHaveLength(0);
  });

  it('a typo in the pipeline name posts nothing in the channel: the "did you mean" goes to the asker alone', async () => {
    const source = { ...fakeSource, resolvePipeline: async (ref: string) => {
      if (ref === 'orders_silver') return { id: 'p1', name: ref };
      throw pipelineNotFound(ref, ['orders_silver']);
    } };
    const t = testApp(async (text) => (text.includes('order_silver') ? { kind: 'error', code: 'PIPELINE_NOT_FOUND', message: 'No pipeline named "order_silver".', hint: 'Did you mean `orders_silver`?', suggestions: ['orders_silver'], usage: null } : fakeDiagnosisReply()), { source });
    await t.receiver.send(slashCommand('why-slow order_silver --update abc'));
    expect(t.api.of('chat.postMessage')).toHaveLength(0);
    expect(t.api.of('chat.delete')).toHaveLength(0);
    expect(t.api.of('respond')[0]?.params.response_type).toBe('ephemeral');
    expect(textOf(t.api.of('respond')[0])).toContain('Did you mean `orders_silver`?');
    // a known name still gets its public placeholder and reply, which keeps who asked
    await t.receiver.send(slashCommand('why-slow orders_silver'));
    expect(t.api.of('chat.postMessage')).toHaveLength(1);
    expect(JSON.stringify(t.api.of('chat.update').at(-1)?.params.blocks)).toContain('Asked by <@U1>');
  });

  it('unknown pipeline as an error Reply (not thrown) behaves the same', async () => {
    const t = testApp(async () => ({ kind: 'error', code: 'PIPELINE_NOT_FOUND', message: 'No pipeline named "x".', hint: null, suggestions: ['orders_silver'], usage: 'why-slow <pipeline>' }));
    await t.receiver.send(slashCommand('why-slow x'));
    expect(textOf(t.api.of('respond')[0])).toContain('Did you mean `orders_silver`?');
    expect(t.api.of('chat.delete')).toHaveLength(1);
  });

  it('Databricks down: replaces the placeholder with a clear message', async () => {
    const t = testApp(async () => {
      throw sourceUnavailable('GET /api/2.0/pipelines timed out after 30s', new Error('ETIMEDOUT'), 'Check DATABRICKS_HOST.');
    });
    await t.receiver.send(slashCommand('why-slow orders_silver'));
    const last = t.api.of('chat.update').at(-1);
    expect(last?.params.ts).toBe('1001.000100');
    expect(textOf(last)).toContain('Databricks could not be reached: GET /api/2.0/pipelines timed out after 30s');
    expect(textOf(last)).toContain('Check DATABRICKS_HOST.');
    expect(t.api.of('respond')).toHaveLength(0);
  });

  it('an unexpected exception never shows a stack trace or its message', async () => {
    const t = testApp(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'secret_field')");
    });
    await t.receiver.send(slashCommand('why-slow orders_silver'));
    const last = t.api.of('chat.update').at(-1);
    const shown = textOf(last);
    expect(shown).toContain('Something went wrong');
    expect(shown).not.toContain('secret_field');
    expect(shown).not.toMatch(/at .*\.ts:\d+/);
    expect(t.logger.lines.join('\n')).toContain('secret_field');
  });

  it('a bad subcommand answers ephemerally with usage and an example', async () => {
    const t = testApp(async () => ({ kind: 'error', code: 'BAD_USAGE', message: 'Unknown command "why-fast".', hint: 'Did you mean why-slow?', suggestions: [], usage: 'why-slow <pipeline> [--update ID]' }));
    await t.receiver.send(slashCommand('why-fast orders'));
    expect(t.api.of('chat.postMessage')).toHaveLength(0);
    const [respond] = t.api.of('respond');
    expect(respond?.params.response_type).toBe('ephemeral');
    expect(textOf(respond)).toContain('Usage: `/dlt why-slow &lt;pipeline&gt; [--update ID]`');
    expect(textOf(respond)).toContain('Example: `/dlt');
  });

  it('pipelines: lists pipelines in place of the placeholder', async () => {
    const t = testApp(async () => ({
      kind: 'pipelines',
      filter: null,
      pipelines: [
        { id: 'pl-1', name: 'orders_silver', state: 'IDLE', health: 'HEALTHY', lastUpdate: { id: 'u1', state: 'COMPLETED', startedAt: 0, durationS: 1830 }, baselineMedianS: 900 },
        { id: 'pl-2', name: 'events_bronze', state: 'IDLE', health: 'UNHEALTHY', lastUpdate: { id: 'u2', state: 'FAILED', startedAt: 0, durationS: 60 }, baselineMedianS: null },
      ],
    }));
    await t.receiver.send(slashCommand('pipelines'));
    expect(textOf(t.api.of('chat.postMessage')[0])).toContain('Listing pipelines…');
    const final = t.api.of('chat.update').at(-1);
    expect(textOf(final)).toContain('Pipelines (2)');
    expect(textOf(final)).toContain('2.03× baseline 15m');
    expect(textOf(final)).toContain(':red_circle: *events_bronze*');
  });

  it('compare: shows both updates side by side', async () => {
    const a = fakeDiagnosis({ update: { ...fakeDiagnosis().update, id: 'upd-41', duration_s: 900, phases_s: { running: 800, initializing: 100 } }, verdict: { bottleneck: 'none', confidence: 1, summary: 'Healthy.' }, findings: [] });
    const b = fakeDiagnosis();
    const t = testApp(async () => ({ kind: 'compare', pipeline: { id: 'pl-orders-silver', name: 'orders_silver' }, a, b, flows: [], settings: [{ key: 'autoscale.max_workers', a: '8', b: '4' }] }));
    await t.receiver.send(slashCommand('compare orders_silver upd-41 upd-42'));
    expect(textOf(t.api.of('chat.postMessage')[0])).toContain('Comparing `orders_silver`…');
    const final = textOf(t.api.of('chat.update').at(-1));
    expect(final).toContain('Compare orders_silver');
    expect(final).toContain('+15m 30s');
    expect(final).toContain('New in B');
    expect(final).toContain('autoscale.max_workers');
  });

  it('size: shows the formula result', async () => {
    const t = testApp(async () => ({
      kind: 'size',
      input: { gb: 500, complexity: 1.5, pipeline: 'orders_silver' },
      size: { min_workers: 5, max_workers: 20, recommended_workers: 10, memory_per_worker_gb: 100, instance_recommendation: 'r5.4xlarge / Standard_E16s_v5 (memory-intensive)' },
      partitions: 2000,
      current: { minWorkers: 2, maxWorkers: 8, cpuAvg: 91 },
    }));
    await t.receiver.send(slashCommand('size orders_silver'));
    const final = textOf(t.api.of('chat.update').at(-1));
    expect(final).toContain('Sizing for orders_silver');
    expect(final).toContain('min 5 · recommended 10 · max 20');
    expect(final).toContain('max_workers 8 is below');
  });

  it('the largest diagnosis: first part replaces the placeholder, the rest goes into its thread, every message within limits', async () => {
    const t = testApp(async () => ({ ...fakeDiagnosisReply(), diagnosis: largestDiagnosis() }));
    await t.receiver.send(slashCommand('why-slow big'));
    const final = t.api.of('chat.update').at(-1)!;
    const thread = t.api.of('chat.postMessage').slice(1);
    expect(thread.length).toBeGreaterThan(0);
    for (const c of thread) expect(c.params.thread_ts).toBe('1001.000100');
    for (const c of [final, ...thread]) {
      expect(limitViolations({ text: String(c.params.text), blocks: c.params.blocks as never })).toEqual([]);
    }
    // the buttons stay on the first message
    expect(JSON.stringify(final.params.blocks)).toContain('dlt_rediagnose');
  });

  it('in a channel the bot cannot post to, answers through the response_url', async () => {
    const t = testApp(async () => fakeDiagnosisReply());
    t.api.on('chat.postMessage', () => ({ body: { ok: false, error: 'not_in_channel' } }));
    await t.receiver.send(slashCommand('why-slow orders_silver'));
    const [respond] = t.api.of('respond');
    expect(respond?.params.response_type).toBe('in_channel');
    expect(textOf(respond)).toContain('CPU-bound');
  });
});
