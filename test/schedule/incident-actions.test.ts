/**
 * Alert threads say when it happened and who did what (issue 17 item 6): the parent of a failed
 * update carries the failure's time (the update's end, not the poll's), and its Acknowledge,
 * Mute, Unmute and Resolve buttons (and `alerts ack|unmute|resolve`) edit it in place with the
 * person and the time; the buttons follow the state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { buttonClick, slashCommand, textOf } from '../surfaces/slack/helpers.js';
import { harness, posts, tempDbPath, type Harness } from './alert-support.js';

type Block = { type: string; elements?: { action_id?: string; text?: unknown; value?: string }[]; text?: { text: string } };
const buttonsOf = (blocks: unknown) => ((blocks as Block[]).find((b) => b.type === 'actions')?.elements ?? []).map((e) => e.action_id);

describe('alert parent: event time, people and their actions', () => {
  let ws: DemoWorkspace;
  let h: Harness;
  let parentTs: string;
  let pid: string;
  beforeAll(async () => {
    ws = await startDemoWorkspace();
    h = harness(ws, tempDbPath(), { ms: DEMO_NOW + 6 * 3_600_000 });
    pid = (await ws.source.resolvePipeline('billing_failed')).id;
    await h.receiver.send(slashCommand('alerts on billing_failed --cost-spike 1000%'));
    await h.alerts.poller.pollOnce();
    parentTs = String(posts(h.api).parents[0]!.params.ts ?? '1001.000100');
  });
  afterAll(async () => {
    h?.close();
    await ws?.close();
  });

  const parentNow = () => h.api.of('chat.update').filter((c) => c.params.ts === parentTs).at(-1) ?? posts(h.api).parents[0]!;
  const click = (user: string, actionId: string, value: string) =>
    h.receiver.send({ ...buttonClick(actionId, value, { ts: parentTs }), user: { id: user, username: user, name: user, team_id: 'T1' } });

  it('the parent says when the update failed (its end time), and offers Acknowledge, Resolve, Mute', async () => {
    const p = posts(h.api).parents[0]!;
    const incident = (await h.alerts.store.incidents('C1'))[0]!;
    const u = (await ws.restClient.listUpdates(pid))[0]!;
    expect(incident.eventAt).not.toBeNull();
    // the failure, hours before the poll that noticed it
    expect(incident.eventAt!).toBeLessThan(incident.openedAt - 3_600_000);
    expect(incident.eventAt!).toBeGreaterThan(Number(u.creation_time));
    expect(textOf(p)).toContain(`failed <!date^${Math.floor(incident.eventAt! / 1000)}^`);
    expect(buttonsOf(p.params.blocks)).toEqual(['dlt_alert_ack', 'dlt_alert_resolve', 'dlt_alert_mute', 'dlt_open_in_databricks']);
  });

  it('Acknowledge: the status line names who and when; Acknowledge gives way to Resolve and Mute', async () => {
    const value = JSON.stringify({ pipeline_id: pid, update_id: (await h.alerts.store.incidents('C1'))[0]!.updateId });
    await click('UANA', 'dlt_alert_ack', value);
    const p = parentNow();
    expect(textOf(p)).toMatch(/Status: \*acknowledged\* — by <@UANA> <!date\^\d+\^/);
    expect(buttonsOf(p.params.blocks)).toEqual(['dlt_alert_resolve', 'dlt_alert_mute', 'dlt_open_in_databricks']);
    expect((await h.alerts.store.incidents('C1'))[0]).toMatchObject({ state: 'acknowledged', actedBy: 'UANA' });
    // still an open alert for the pipeline list
    expect((await h.alerts.store.openIncidents()).map((i) => i.pipelineId)).toContain(pid);
  });

  it('Mute then Unmute: each edits the parent with its person; Unmute opens it again', async () => {
    const id = (await h.alerts.store.incidents('C1'))[0]!.updateId;
    await click('UBEN', 'dlt_alert_mute', JSON.stringify({ pipeline_id: pid, update_id: id, duration: '1d' }));
    let p = parentNow();
    expect(textOf(p)).toMatch(/Status: \*muted\* — by <@UBEN> until /);
    expect(buttonsOf(p.params.blocks)).toEqual(['dlt_alert_unmute', 'dlt_alert_resolve', 'dlt_open_in_databricks']);
    await click('UANA', 'dlt_alert_unmute', JSON.stringify({ pipeline_id: pid, update_id: id }));
    p = parentNow();
    expect(textOf(p)).toMatch(/Status: \*open\* — unmuted by <@UANA> <!date\^/);
    expect(await h.alerts.store.mutedUntil('C1', pid, h.clock.ms)).toBeNull();
  });

  it('alerts resolve closes it: resolved by whom, no buttons but Open in Databricks; a second resolve finds nothing', async () => {
    await h.receiver.send({ ...slashCommand('alerts resolve billing_failed'), user_id: 'UCAT' });
    expect(textOf(h.api.of('respond').at(-1))).toContain('1 alert for billing_failed resolved in this channel');
    const p = parentNow();
    expect(textOf(p)).toMatch(/Status: \*resolved\* — by <@UCAT> <!date\^/);
    expect(buttonsOf(p.params.blocks)).toEqual(['dlt_open_in_databricks']);
    await h.receiver.send(slashCommand('alerts resolve billing_failed'));
    expect(textOf(h.api.of('respond').at(-1))).toContain('No open alert for billing_failed');
    expect((await h.alerts.store.openIncidents()).map((i) => i.pipelineId)).not.toContain(pid);
  });
});
