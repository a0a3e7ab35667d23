/**
 * One-click apply end to end: the Apply button on a diagnosis from the demo workspace, the
 * allow-list, the confirmation modal with the exact diff, the PUT (checked by GETting the pipeline
 * from the demo REST server), a concurrent edit (409), the audit log, and "did it help" after the
 * next update. Also `/dlt apply` with its Confirm button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { createRestClient } from '../../src/databricks/rest.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { buttonClick, slashCommand, textOf } from '../surfaces/slack/helpers.js';
import { ADMIN, DEMO_TOKEN, harness, tempDbPath, type Harness } from './alert-support.js';

type Json = Record<string, unknown>;

describe('apply over the demo workspace', () => {
  let ws: DemoWorkspace;
  let h: Harness;
  let pid: string;

  beforeAll(async () => {
    ws = await startDemoWorkspace({ updateDurationMs: 20 });
    h = harness(ws, tempDbPath(), { ms: DEMO_NOW });
    pid = (await ws.source.resolvePipeline('orders_silver')).id;
  });
  afterAll(async () => {
    h?.close();
    await ws?.close();
  });

  /** The pipeline as the demo REST server has it now (a fresh GET, no client cache). */
  async function getPipeline(): Promise<Json> {
    const res = await fetch(`${ws.rest.url}/api/2.0/pipelines/${pid}`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } });
    return (await res.json()) as Json;
  }

  /**
   * The diagnosis posted for /dlt why-slow orders_silver, and its Apply buttons by recommendation id:
   * the compact message's (the fix to do first) and, after "Details and all fixes", the thread's.
   */
  async function diagnosisButtons(): Promise<{ ts: string; buttons: Map<string, string>; inChannel: string[] }> {
    await h.receiver.send(slashCommand('why-slow orders_silver'));
    const final = h.api.of('chat.update').at(-1)!;
    const ts = String(final.params.ts);
    type B = { type: string; accessory?: { action_id: string; value: string }; elements?: { action_id: string; value?: string }[] };
    const buttons = new Map<string, string>();
    const collect = (blocks: unknown) => {
      const found: string[] = [];
      for (const b of blocks as B[]) {
        if (b.type === 'section' && b.accessory?.action_id === 'dlt_apply') {
          const id = (JSON.parse(b.accessory.value) as { recommendation_id: string }).recommendation_id;
          buttons.set(id, b.accessory.value);
          found.push(id);
        }
      }
      return found;
    };
    const inChannel = collect(final.params.blocks);
    const details = (final.params.blocks as B[]).find((b) => b.type === 'actions')?.elements?.find((e) => e.action_id === 'dlt_show_fixes');
    if (details) {
      await h.receiver.send(buttonClick('dlt_show_fixes', details.value, { ts, blocks: final.params.blocks }));
      for (const c of h.api.of('chat.postMessage').filter((x) => x.params.thread_ts === ts)) collect(c.params.blocks);
    }
    return { ts, buttons, inChannel };
  }

  const asUser = (user: string, body: Json) => ({ ...body, user: { id: user, username: user, name: user, team_id: 'T1' } });

  function submit(user: string, privateMetadata: string) {
    return h.receiver.send({
      type: 'view_submission',
      team: { id: 'T1', domain: 'acme' },
      user: { id: user, username: user, name: user, team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy-token',
      trigger_id: 'trig2',
      view: { id: 'V1', team_id: 'T1', type: 'modal', callback_id: 'dlt_apply_modal', private_metadata: privateMetadata, state: { values: {} }, hash: 'h', blocks: [], title: { type: 'plain_text', text: 'Apply a fix' } },
    });
  }

  it('the diagnosis offers Apply beside setting changes only: the fix to do first in the channel, every one in the thread', async () => {
    const { buttons, inChannel } = await diagnosisButtons();
    expect([...buttons.keys()].sort()).toEqual(['compute-optimized-instances', 'enable-photon']);
    expect(inChannel).toHaveLength(1);
  });

  it('a user not on the list is refused (ephemeral), no modal, nothing changes, the refusal is audited', async () => {
    const before = await getPipeline();
    const { ts, buttons } = await diagnosisButtons();
    await h.receiver.send(buttonClick('dlt_apply', buttons.get('enable-photon'), { ts }));
    const eph = h.api.of('chat.postEphemeral').at(-1);
    expect(eph?.params.user).toBe('U2');
    expect(textOf(eph)).toContain('Only the people listed in DLT_DOCTOR_APPLY_ALLOWED_USERS');
    expect(h.api.of('views.open')).toHaveLength(0);
    expect(await getPipeline()).toEqual(before);
    expect((await h.alerts.store.audits()).at(-1)).toMatchObject({ userId: 'U2', result: 'refused', pipelineId: pid, recommendationId: 'enable-photon' });
    // even a forged modal submission by that user changes nothing
    await submit('U2', JSON.stringify({ p: pid, u: null, r: 'enable-photon', lm: null, c: 'C1', t: ts }));
    expect(await getPipeline()).toEqual(before);
  });

  it('a concurrent edit between the preview and the confirmation → 409 handled: clear message, nothing changed, audited', async () => {
    const { ts, buttons } = await diagnosisButtons();
    await h.receiver.send(asUser(ADMIN, buttonClick('dlt_apply', buttons.get('compute-optimized-instances'), { ts })));
    // the diff arrives by views.update in the modal opened at the click
    const update = h.api.of('views.update').at(-1)!;
    const view = JSON.parse(String(update.params.view)) as { private_metadata: string; blocks: unknown[] };
    expect(JSON.stringify(view.blocks)).toContain('clusters[default].node_type_id: i3.2xlarge → c5.4xlarge');

    // someone edits the pipeline in the Databricks UI meanwhile
    const other = createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0 });
    const current = await other.getPipeline(pid);
    await other.editPipeline(pid, { ...current.rawSpec!, tags: { team: 'sales', edited: 'by-hand' } });
    const afterOther = await getPipeline();

    await submit(ADMIN, view.private_metadata);
    const eph = h.api.of('chat.postEphemeral').at(-1);
    expect(eph?.params.user).toBe(ADMIN);
    expect(textOf(eph)).toContain('Someone changed the pipeline since this fix was shown, so nothing was changed');
    expect(await getPipeline()).toEqual(afterOther);
    expect(((afterOther.spec as Json).clusters as Json[])[0]!.node_type_id).toBe('i3.2xlarge');
    expect((await h.alerts.store.audits()).at(-1)).toMatchObject({ userId: ADMIN, result: 'conflict', recommendationId: 'compute-optimized-instances' });
  });

  it('an allowed user sees the diff, confirms, and the settings change exactly as shown; audited; then "did it help" after the next update', async () => {
    const before = await getPipeline();
    const { ts, buttons } = await diagnosisButtons();
    await h.receiver.send(asUser(ADMIN, buttonClick('dlt_apply', buttons.get('enable-photon'), { ts })));
    const open = h.api.of('views.open').at(-1)!;
    expect(open.params.trigger_id).toBe('trig');
    const update = h.api.of('views.update').at(-1)!;
    expect(update.params.view_id).toBe('V1');
    const view = JSON.parse(String(update.params.view)) as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe('dlt_apply_modal');
    expect(JSON.stringify(view.blocks)).toContain('photon: false → true');
    // the dialog repeats what the fix costs and risks (guide §4.4: Photon bills more DBUs per hour)
    expect(JSON.stringify(view.blocks)).toContain('_Risk:_');
    expect(JSON.stringify(view.blocks)).toContain('_Expected:_');
    expect(JSON.parse(view.private_metadata)).toMatchObject({ m: ts });
    expect(await getPipeline()).toEqual(before); // opening the modal changes nothing

    // the diagnosis message as Slack would give it back (conversations.history)
    const posted = h.api.of('chat.update').filter((c) => c.params.ts === ts).at(-1)!;
    h.api.on('conversations.history', (c) => (c.params.latest === ts ? { body: { ok: true, messages: [{ ts, text: posted.params.text, blocks: posted.params.blocks }] } } : undefined));
    await submit(ADMIN, view.private_metadata);
    // the message the fix was applied from is edited in place: its Apply button gives way to the mark
    const marked = h.api.of('chat.update').filter((c) => c.params.ts === ts).at(-1)!;
    expect(marked).not.toBe(posted);
    const markedBlocks = marked.params.blocks as { type: string; accessory?: { value: string }; elements?: { text: string }[] }[];
    expect(markedBlocks.some((b) => b.accessory?.value.includes('"enable-photon"'))).toBe(false);
    // the compact message held that one fix; the other's Apply is in the thread, untouched
    expect(markedBlocks.some((b) => b.accessory?.value.includes('"compute-optimized-instances"'))).toBe(false);
    expect(h.api.of('chat.postMessage').some((c) => c.params.thread_ts === ts && JSON.stringify(c.params.blocks).includes('compute-optimized-instances'))).toBe(true);
    expect(markedBlocks.find((b) => b.type === 'context' && b.elements?.[0]?.text.includes('Applied by <@UADMIN> <!date^'))).toBeDefined();
    const after = await getPipeline();
    // exactly the diff shown: photon false → true, every other setting as it was
    expect((after.spec as Json).photon).toBe(true);
    expect({ ...(after.spec as Json), photon: false }).toEqual(before.spec);
    expect(after.last_modified).not.toBe(before.last_modified);

    const applied = h.api.of('chat.postMessage').filter((c) => c.params.thread_ts === ts).at(-1);
    expect(textOf(applied)).toContain('Applied by <@UADMIN>');
    expect(textOf(applied)).toContain('photon false → true');

    const audit = (await h.alerts.store.audits()).at(-1)!;
    expect(audit).toMatchObject({ userId: ADMIN, result: 'applied', pipelineId: pid, recommendationId: 'enable-photon', channel: 'C1', threadTs: ts, followupAt: null });
    expect((audit.before as Json).photon).toBe(false);
    expect((audit.after as Json).photon).toBe(true);
    expect(audit.diff).toEqual([{ key: 'photon', before: 'false', after: 'true' }]);

    // no new update yet: no "did it help"
    await h.alerts.poller.pollOnce();
    expect(h.api.of('chat.postMessage').filter((c) => textOf(c).includes('Did it help'))).toHaveLength(0);

    // the next update runs (Photon: the demo run model, src/demo/run-model.ts, makes a CPU-bound running phase ~2.4× faster)
    const rest = createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0 });
    const { update_id } = await rest.startUpdate(pid);
    for (let i = 0; i < 200 && ws.rest.state.updates(pid)[0]?.state === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50)); // the warehouse appends the new events asynchronously
    ws.restClient.clearCache();

    await h.alerts.poller.pollOnce();
    const help = h.api.of('chat.postMessage').filter((c) => textOf(c).includes('Did it help'));
    expect(help).toHaveLength(1);
    expect(help[0]!.params.thread_ts).toBe(ts);
    expect(textOf(help[0])).toContain('Did it help? helped');
    expect(textOf(help[0])).toContain('Duration:');
    expect(textOf(help[0])).toContain('Cost:');
    expect((await h.alerts.store.audits()).at(-1)!.followupUpdateId).toBe(update_id);

    await h.alerts.poller.pollOnce();
    expect(h.api.of('chat.postMessage').filter((c) => textOf(c).includes('Did it help'))).toHaveLength(1);
  });

  it('/dlt apply: refused for others; for an allowed user, the diff with a Confirm button that applies it', async () => {
    await h.receiver.send(slashCommand('apply raise-max-workers --pipeline orders_silver'));
    expect(textOf(h.api.of('respond').at(-1))).toContain('Only the people listed');

    await h.receiver.send(slashCommand('apply enable-photon', { user_id: ADMIN }));
    expect(textOf(h.api.of('respond').at(-1))).toContain('Which pipeline?');

    const before = await getPipeline();
    await h.receiver.send(slashCommand('apply compute-optimized-instances --pipeline orders_silver', { user_id: ADMIN }));
    const preview = h.api.of('respond').at(-1)!;
    expect(preview.params.response_type).toBe('ephemeral');
    expect(textOf(preview)).toContain('clusters[default].node_type_id: i3.2xlarge → c5.4xlarge');
    expect(await getPipeline()).toEqual(before);
    const confirm = (preview.params.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions')!.elements![0]!;
    expect(confirm.action_id).toBe('dlt_apply_confirm');

    expect(textOf(preview)).toContain('Risk:');
    const responds = h.api.of('respond').length;
    await h.receiver.send(asUser(ADMIN, buttonClick('dlt_apply_confirm', confirm.value, { ts: '1999.000100' })));
    const after = await getPipeline();
    expect(((after.spec as Json).clusters as Json[])[0]!.node_type_id).toBe('c5.4xlarge');
    // the used Confirm is replaced (response_url, replace_original): first "Applying…", then the outcome, no button left
    const replaced = h.api.of('respond').slice(responds);
    expect(replaced.map((c) => c.params.replace_original)).toEqual([true, true]);
    expect(textOf(replaced[0])).toContain('Applying (confirmed by <@UADMIN>)');
    expect(textOf(replaced[1])).toContain('Applied by <@UADMIN>');
    expect(textOf(replaced[1])).not.toContain('dlt_apply_confirm');
    expect((await h.alerts.store.audits()).at(-1)).toMatchObject({ result: 'applied', recommendationId: 'compute-optimized-instances', channel: 'C1' });
    expect(textOf(h.api.of('chat.postMessage').at(-1))).toContain('Applied by <@UADMIN>');
  });

  it('a second Confirm of an applied fix answers "already applied by … at …" (not "no recommendation") and is audited; an unreadable button is audited as invalid', async () => {
    const before = await getPipeline();
    const value = JSON.stringify({ pipeline_id: pid, update_id: null, recommendation_id: 'compute-optimized-instances', last_modified: null });
    await h.receiver.send(asUser(ADMIN, buttonClick('dlt_apply_confirm', value, { ts: '1999.000200' })));
    const eph = h.api.of('chat.postEphemeral').at(-1);
    expect(textOf(eph)).toContain('This fix was already applied by UADMIN at');
    expect(textOf(eph)).not.toContain('no recommendation');
    expect(await getPipeline()).toEqual(before);
    const applied = (await h.alerts.store.audits()).find((a) => a.result === 'applied' && a.recommendationId === 'compute-optimized-instances')!;
    expect((await h.alerts.store.audits()).at(-1)).toMatchObject({ result: 'replayed', userId: ADMIN, pipelineId: pid, recommendationId: 'compute-optimized-instances', message: `confirm for audit #${applied.id} (applied)` });

    // the Apply button of that fix (an old diagnosis): the modal says who applied it, not "no recommendation"
    await h.receiver.send(asUser(ADMIN, buttonClick('dlt_apply', JSON.stringify({ pipeline_id: pid, update_id: null, recommendation_id: 'compute-optimized-instances' }), { ts: '1999.000250' })));
    expect(String(h.api.of('views.update').at(-1)!.params.view)).toContain('already applied by UADMIN');

    await h.receiver.send(asUser(ADMIN, buttonClick('dlt_apply_confirm', '{"pipeline_id":', { ts: '1999.000300' })));
    expect((await h.alerts.store.audits()).at(-1)).toMatchObject({ result: 'invalid', userId: ADMIN, message: 'unreadable Confirm button value' });
    expect(await getPipeline()).toEqual(before);
  });
});
