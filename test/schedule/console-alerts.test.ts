/**
 * Alert threads and apply in the local console: the alert and its diagnosis thread appear, Apply
 * opens the confirmation modal (views.open in the fake Slack API) and its submission applies the
 * fix; `/dlt apply`'s Confirm button takes the same path without a modal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import { createRestClient } from '../../src/databricks/rest.js';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { startAlerts, type Alerts } from '../../src/schedule/alerts.js';
import { openDb } from '../../src/store/db.js';
import { CONSOLE_USER_ID } from '../../src/surfaces/console/fake-slack-api.js';
import { createConsole, type ConsoleSurface } from '../../src/surfaces/console/server.js';
import { quietLogger } from '../surfaces/slack/helpers.js';
import { DEMO_TOKEN, tempDbPath } from './alert-support.js';

type Block = { type: string; accessory?: { action_id: string } };
const hasButton = (blocks: unknown[], id: string) => (blocks as Block[]).some((b) => b.accessory?.action_id === id) || JSON.stringify(blocks).includes(`"action_id":"${id}"`);

describe('alerts in the local console', () => {
  let ws: DemoWorkspace;
  let con: ConsoleSurface;
  let alerts: Alerts;

  beforeAll(async () => {
    ws = await startDemoWorkspace({ updateDurationMs: 20 });
    con = createConsole({ source: ws.source, run: (t, c) => alerts.withAlerts(runCommandText)(t, c), charts: false, postIntervalMs: 0, logger: quietLogger() });
    alerts = startAlerts({
      db: openDb(tempDbPath()),
      source: ws.source,
      rest: createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0 }),
      slack: { client: con.client, queue: con.slack.deps.queue },
      // as main does: the console operator is a Slack-API id, namespaced (src/apply/allow-list.ts)
      config: { webhookSecret: null, applyAllowedUsers: [`slack:${CONSOLE_USER_ID}`] },
      clock: () => new Date(DEMO_NOW),
      start: false,
      logger: { info: () => undefined, warn: () => undefined },
    });
    alerts.registerSlack(con.slack.app);
  });
  afterAll(async () => {
    alerts?.stop();
    await con?.close();
    await ws?.close();
  });

  it('alert parent + diagnosis thread; Apply → modal with the diff → submit → the setting changes and the parent says so', async () => {
    await con.receiver.slashCommand('data-eng', 'alerts on billing_failed --cost-spike 1000%').done;
    await alerts.poller.pollOnce();
    const top = con.api.history('data-eng').filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    const parent = top.find((m) => m.text.includes('billing_failed: update failed'))!;
    expect(parent).toBeDefined();
    const thread = con.api.replies('data-eng', parent.ts);
    const diagnosis = thread.find((m) => hasButton(m.blocks, 'dlt_apply'))!;
    expect(diagnosis.text).toContain('billing_failed');

    await con.receiver.action('data-eng', diagnosis.ts, 'dlt_apply').done;
    const [modal] = con.api.openViews(CONSOLE_USER_ID);
    expect(modal).toMatchObject({ callback_id: 'dlt_apply_modal', submit: { text: 'Apply' } });
    // billing_failed's executors were killed with exit code 137: the first fix is memory overhead (guide §8.1)
    expect(JSON.stringify(modal!.blocks)).toContain('clusters[default].spark_conf.spark.executor.memoryOverheadFactor:');
    expect(JSON.stringify(modal!.blocks)).toContain('→ 0.2');
    // no ephemeral fallback when the modal opened
    expect(con.api.history('data-eng').some((m) => m.ephemeral && hasButton(m.blocks, 'dlt_apply_confirm'))).toBe(false);

    const submitted = await con.receiver.viewSubmission(modal!.id);
    expect(submitted.closed).toBe(true);
    await submitted.done;
    const pid = (await ws.source.resolvePipeline('billing_failed')).id;
    const spec = (ws.rest.state.pipeline(pid)!.spec as { clusters: { label?: string; spark_conf?: Record<string, string> }[] }).clusters;
    expect(spec.find((c) => c.label !== 'maintenance')!.spark_conf?.['spark.executor.memoryOverheadFactor']).toBe('0.2');
    expect(con.api.replies('data-eng', parent.ts).some((m) => m.text.includes(`Applied by <@${CONSOLE_USER_ID}>`))).toBe(true);
    const edited = con.api.message('data-eng', parent.ts)!;
    expect(JSON.stringify(edited.blocks)).toContain('fix applied');
  });
});
