import { describe, expect, it } from 'vitest';
import { sourceUnavailable } from '../../../src/errors.js';
import { fakeDiagnosis, fakeDiagnosisReply } from '../../support/fake-diagnosis.js';
import { buttonClick, testApp, textOf } from './helpers.js';

const value = JSON.stringify({ pipeline_id: 'pl-orders-silver', update_id: 'upd-42' });

describe('diagnosis buttons', () => {
  it('Show all fixes: acks, re-reads that update and posts every fix in the thread', async () => {
    const t = testApp(async () => fakeDiagnosisReply());
    const ack = await t.receiver.send(buttonClick('dlt_show_fixes', value));
    expect(ack).toHaveBeenCalledTimes(1);
    expect(t.run.mock.calls[0]?.[0]).toBe('why-slow pl-orders-silver --update upd-42');
    const [post] = t.api.of('chat.postMessage');
    expect(post?.params.thread_ts).toBe('1500.000100');
    expect(post?.params.channel).toBe('C1');
    const shown = textOf(post);
    expect(shown).toContain('All 4 fixes for orders_silver');
    // the fourth fix is not in the main message (top three) but is here, with its exact setting
    expect(shown).toContain('spark.sql.adaptive.coalescePartitions.enabled = true');
  });

  it('a button inside a thread answers in that same thread', async () => {
    const t = testApp(async () => fakeDiagnosisReply());
    await t.receiver.send(buttonClick('dlt_show_fixes', value, { thread_ts: '1400.000100' }));
    expect(t.api.of('chat.postMessage')[0]?.params.thread_ts).toBe('1400.000100');
  });

  it('Compare with baseline: posts the compare reply in the thread', async () => {
    const a = fakeDiagnosis({ update: { ...fakeDiagnosis().update, id: 'upd-41', duration_s: 900 } });
    const t = testApp(async () => ({ kind: 'compare', pipeline: { id: 'pl-orders-silver', name: 'orders_silver' }, a, b: fakeDiagnosis(), flows: [], settings: [] }));
    const ack = await t.receiver.send(buttonClick('dlt_compare', value));
    expect(ack).toHaveBeenCalled();
    expect(t.run.mock.calls[0]?.[0]).toBe('compare pl-orders-silver --baseline upd-42');
    const [post] = t.api.of('chat.postMessage');
    expect(post?.params.thread_ts).toBe('1500.000100');
    expect(textOf(post)).toContain('Compare orders_silver');
  });

  it('Re-diagnose: shows progress on the message, then replaces it with the new diagnosis', async () => {
    const t = testApp(async () => fakeDiagnosisReply({ update: { ...fakeDiagnosis().update, id: 'upd-43' } }));
    await t.receiver.send(buttonClick('dlt_rediagnose', value));
    expect(t.run.mock.calls[0]?.[0]).toBe('why-slow pl-orders-silver');
    const updates = t.api.of('chat.update');
    expect(updates.map((u) => u.params.ts)).toEqual(['1500.000100', '1500.000100']);
    expect(textOf(updates[0])).toContain('Diagnosing `pl-orders-silver`…');
    expect(textOf(updates[1])).toContain('upd-43');
    expect(t.api.of('chat.postMessage')).toHaveLength(0);
  });

  it('Re-diagnose while Databricks is down: restores the old message and tells the clicker', async () => {
    const t = testApp(async () => {
      throw sourceUnavailable('connection refused');
    });
    await t.receiver.send(buttonClick('dlt_rediagnose', value));
    const last = t.api.of('chat.update').at(-1);
    expect(textOf(last)).toContain('old diagnosis');
    const [respond] = t.api.of('respond');
    expect(respond?.params.response_type).toBe('ephemeral');
    expect(textOf(respond)).toContain('Databricks could not be reached: connection refused');
  });

  it('Show all fixes for an unknown pipeline answers ephemerally', async () => {
    const t = testApp(async () => ({ kind: 'error', code: 'PIPELINE_NOT_FOUND', message: 'No pipeline named "pl-gone".', hint: null, suggestions: ['orders_silver'], usage: null }));
    await t.receiver.send(buttonClick('dlt_show_fixes', JSON.stringify({ pipeline_id: 'pl-gone', update_id: null })));
    expect(t.run.mock.calls[0]?.[0]).toBe('why-slow pl-gone');
    expect(t.api.of('chat.postMessage')).toHaveLength(0);
    expect(textOf(t.api.of('respond')[0])).toContain('Did you mean `orders_silver`?');
  });

  it.each([
    ['not JSON', 'orders_silver'],
    ['wrong shape', JSON.stringify({ pipeline: 'x' })],
    ['missing', undefined],
  ])('a button value that is %s gets an ephemeral note and runs nothing', async (_name, raw) => {
    const t = testApp(async () => fakeDiagnosisReply());
    const ack = await t.receiver.send(buttonClick('dlt_compare', raw));
    expect(ack).toHaveBeenCalled();
    expect(t.run).not.toHaveBeenCalled();
    expect(textOf(t.api.of('respond')[0])).toContain('no longer carries a pipeline');
  });

  it('Open in Databricks (a url button) is only acknowledged', async () => {
    const t = testApp(async () => fakeDiagnosisReply());
    const ack = await t.receiver.send(buttonClick('dlt_open_in_databricks', undefined));
    expect(ack).toHaveBeenCalledTimes(1);
    expect(t.run).not.toHaveBeenCalled();
    expect(t.api.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });
});
