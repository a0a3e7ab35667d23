/**
 * Issue 13 item 6, end to end on the demo workspace: after dlt-doctor applied "Turn on Photon"
 * (the Slack `/dlt apply` + Confirm path, audited), `cost` and the digest (`digest now` and the
 * scheduler's digestBuilder) advise no undoing of it while the updates since do not show it failed
 * to pay off — and when they do (costlier per million rows, beyond their spread), the advice comes
 * back with that reason, quoting the same savings on every surface.
 *
 * The demo's orders_silver is varied so that Photon advice can exist at all: its two streaming
 * flows' plans get an ArrowEvalPython node (a pandas UDF), which Photon does not run. New updates
 * are billed as they ran (src/demo/run-billing.ts): after the apply, with product_features.is_photon
 * and Photon's DBU rate; without that, nothing would show Photon was billed and no advice would come.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import type { CommandContext, Reply } from '../../commands/types.js';
import { DEMO_NOW, generateDemoWorkspace, type DemoWorkspaceData } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import type { Digest } from '../../src/digest/types.js';
import { digestBuilder, type DigestPeriodWindow } from '../../src/schedule/digest-scheduler.js';
import type { Subscription } from '../../src/store/subscriptions.js';
import { replyToText } from '../../templates/text.js';
import { ADMIN, harness, tempDbPath, type Harness } from '../schedule/alert-support.js';
import { buttonClick, slashCommand, textOf } from '../surfaces/slack/helpers.js';

const HOUR = 3_600_000;
const PIPELINE = 'orders_silver';

type Json = Record<string, unknown>;

/** orders_silver with a pandas UDF (ArrowEvalPython) in the plans of its two streaming flows; the materialized view stays SQL. */
function withPandasUdfs(data: DemoWorkspaceData, name: string): { data: DemoWorkspaceData; patched: number } {
  const p = data.pipelines.find((x) => x.pipeline.name === name)!;
  let patched = 0;
  for (const e of p.events) {
    if (e.event_type !== 'flow_definition') continue;
    const details = (typeof e.details === 'string' ? JSON.parse(e.details) : e.details) as { flow_definition: Json };
    const fd = details.flow_definition;
    if (fd.flow_type === 'MATERIALIZED_VIEW') continue;
    const [head, ...rest] = String(fd.explain_text).split('\n');
    fd.explain_text = [head, 'AppendData', '+- ArrowEvalPython [score_order(amount#3, region#4)#41], [pythonUDF0#42], 200', ...rest.map((l) => `   ${l}`)].join('\n');
    if (typeof e.details === 'string') e.details = JSON.stringify(details);
    patched++;
  }
  return { data, patched };
}

describe('cost and the digest after dlt-doctor turned Photon on (demo workspace)', () => {
  let ws: DemoWorkspace;
  let h: Harness;
  let pid: string;
  const clock = { ms: DEMO_NOW };

  beforeAll(async () => {
    const { data, patched } = withPandasUdfs(generateDemoWorkspace(), PIPELINE);
    expect(patched).toBeGreaterThan(0);
    ws = await startDemoWorkspace({ data, clock: () => clock.ms, updateDurationMs: 20, cacheTtlMs: 0 });
    h = harness(ws, tempDbPath(), clock);
    pid = (await ws.source.resolvePipeline(PIPELINE)).id;
  }, 60_000);
  afterAll(async () => {
    h?.close();
    await ws?.close();
  });

  /** a command as the Slack app runs it: with the alert service, whose store holds the apply audit */
  const run = (text: string): Promise<Reply> => h.alerts.withAlerts(runCommandText)(text, { source: ws.source, surface: 'slack', now: () => new Date(clock.ms) } satisfies CommandContext);
  async function digestOf(text: string): Promise<Digest> {
    const r = await run(text);
    if (r.kind !== 'cost' && r.kind !== 'digest') throw new Error(JSON.stringify(r));
    return r.digest;
  }
  /** the scheduled digest, as main wires it: the subscription's period, the apply audit */
  async function scheduled(): Promise<Digest> {
    const build = digestBuilder(() => Promise.resolve(ws.source.costBackend!()), () => h.alerts.store.appliedChanges());
    const sub: Subscription = { id: 1, channel: 'C1', surface: 'slack', cron: '0 9 * * 1', tz: 'UTC', filter: null, createdBy: ADMIN, createdAt: new Date(DEMO_NOW).toISOString() };
    const period: DigestPeriodWindow = { start: new Date(clock.ms - 7 * 24 * HOUR), end: new Date(clock.ms), previousStart: new Date(clock.ms - 14 * 24 * HOUR) };
    const r = await build(sub, period);
    if (r.kind !== 'digest') throw new Error(JSON.stringify(r));
    return r.digest;
  }
  const photonOf = (d: Digest) => d.opportunities.filter((o) => o.kind === 'photon' && o.pipeline.id === pid);

  /** one update of orders_silver through the REST API, two demo hours after the last, billed as it ran */
  async function runUpdate(): Promise<string> {
    clock.ms += 2 * HOUR;
    const { update_id } = await h.rest.startUpdate(pid);
    for (let i = 0; i < 300 && ws.rest.state.updates(pid)[0]?.state === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(ws.rest.state.updates(pid)[0]?.state).toBe('COMPLETED');
    await ws.settled();
    ws.restClient.clearCache();
    clock.ms += 2 * HOUR;
    return update_id;
  }

  let rightSizeBefore: Digest['opportunities'];

  it('before: Photon is off and was never billed on orders_silver, so there is no Photon advice', async () => {
    const cost = await digestOf(`cost ${PIPELINE}`);
    expect(cost.pipelines[0]!.photonDollars).toBe(0);
    expect(photonOf(cost)).toEqual([]);
    rightSizeBefore = (await digestOf('digest now')).opportunities.filter((o) => o.kind === 'right-size');
    expect(rightSizeBefore.length).toBeGreaterThan(0);
  });

  it('Apply "Turn on Photon" through /dlt apply + Confirm, one update: it is billed with Photon, and no surface advises turning it off', async () => {
    await h.receiver.send(slashCommand(`apply enable-photon --pipeline ${PIPELINE}`, { user_id: ADMIN }));
    const preview = h.api.of('respond').at(-1)!;
    expect(textOf(preview)).toContain('photon: false → true');
    const confirm = (preview.params.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions')!.elements![0]!;
    await h.receiver.send({ ...buttonClick('dlt_apply_confirm', confirm.value, { ts: '1999.000100' }), user: { id: ADMIN, username: ADMIN, name: ADMIN, team_id: 'T1' } });
    expect((await h.alerts.store.audits()).at(-1)).toMatchObject({ result: 'applied', pipelineId: pid, recommendationId: 'enable-photon' });
    expect(await h.alerts.store.appliedChanges()).toHaveLength(1);

    await runUpdate();

    const cost = await digestOf(`cost ${PIPELINE}`);
    // billed as it ran: the new update's usage rows carry is_photon (system.billing.usage product_features)
    expect(cost.pipelines[0]!.photonDollars).toBeGreaterThan(0);
    const now = await digestOf('digest now');
    const sched = await scheduled();
    for (const d of [cost, now, sched]) {
      expect(photonOf(d)).toEqual([]);
      expect(d.withheld?.map((w) => [w.kind, w.pipeline.id, w.by])).toEqual([['photon', pid, ADMIN]]);
      const note = d.notes.find((n) => n.startsWith(`${PIPELINE}: not recommending "Measure one update without Photon`));
      expect(note).toContain('Photon was turned on by dlt-doctor');
      expect(note).toContain('1 update since, 3 needed to judge: keeping it for now');
    }
    const text = replyToText(await run(`cost ${PIPELINE}`), { width: 200, color: false });
    expect(text).toContain('not recommending "Measure one update without Photon');
    expect(text).not.toMatch(/\$[\d.,]+[^\n]*Measure one update without Photon/);
    // other pipelines' advice is untouched: the same right-size dollars as before the apply
    expect(now.opportunities.filter((o) => o.kind === 'right-size')).toEqual(rightSizeBefore);
  });

  it('updates since costlier per million rows than before it (Photon at ~2× DBUs, UDF flows not sped up): the advice comes back, with the reason, the same dollars on every surface', async () => {
    await runUpdate();
    // two updates since: still too early to judge
    expect(photonOf(await digestOf(`cost ${PIPELINE}`))).toEqual([]);
    await runUpdate();

    const cost = await digestOf(`cost ${PIPELINE}`);
    const now = await digestOf('digest now');
    const sched = await scheduled();
    const [fromCost] = photonOf(cost);
    expect(fromCost).toBeDefined();
    expect(fromCost!.undoes).toMatchObject({ by: ADMIN });
    expect(fromCost!.undoes!.reason).toMatch(/^the 3 updates since cost \d+% more per million rows than the 10 before it \(beyond the usual spread of ±\d+%\): it did not pay off$/);
    expect(fromCost!.why).toContain(`It undoes what dlt-doctor applied: Photon was turned on by dlt-doctor`);
    expect(fromCost!.why).toContain(fromCost!.undoes!.reason);
    // priced on what was billed with Photon in the period (the three updates since), not on the whole period
    expect(fromCost!.savingsUsd.high).toBeLessThanOrEqual(cost.pipelines[0]!.photonDollars);
    expect(cost.pipelines[0]!.photonDollars).toBeLessThan(cost.pipelines[0]!.updateDollars);
    for (const d of [now, sched]) {
      expect(photonOf(d)).toEqual([fromCost]);
      expect(d.withheld ?? []).toEqual([]);
    }
    expect(replyToText(await run('digest now'), { width: 200, color: false })).toMatch(/It undoes what\s+dlt-doctor applied: Photon was turned on[^]*it\s+did not pay off/);
  });
});
