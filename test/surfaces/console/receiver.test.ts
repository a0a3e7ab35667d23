/**
 * The console receiver with a tiny Bolt app of our own: the bodies it hands to processEvent have
 * Slack's shapes (Bolt routes them to app.command / app.action), respond() and the client land in
 * the fake API, and an ack that carries a message shows like Slack shows it.
 */
import { describe, expect, it } from 'vitest';
import { App, type BlockAction, type ButtonAction, type SlashCommand, type ViewClosedAction, type ViewSubmitAction } from '@slack/bolt';
import { createFakeSlackApi } from '../../../src/surfaces/console/fake-slack-api.js';
import { ConsoleReceiver, ConsoleRequestError } from '../../../src/surfaces/console/receiver.js';

function tinyApp() {
  const api = createFakeSlackApi();
  const receiver = new ConsoleReceiver({ api });
  const app = new App({ receiver, token: 'xoxb-console', tokenVerificationEnabled: false, clientOptions: { fetch: api.fetch, retryConfig: { retries: 0 } } });
  const seen: { commands: SlashCommand[]; actions: BlockAction<ButtonAction>[] } = { commands: [], actions: [] };
  app.command('/dlt', async ({ command, ack, respond, client }) => {
    seen.commands.push(command);
    if (command.text === 'ack-text') return ack('acked with text');
    await ack();
    if (command.text === 'help') {
      await respond({ response_type: 'ephemeral', text: 'usage' });
      return;
    }
    const posted = await client.chat.postMessage({
      channel: command.channel_id,
      text: 'Diagnosing…',
      blocks: [{ type: 'actions', block_id: 'b1', elements: [{ type: 'button', action_id: 'dlt_show_fixes', text: { type: 'plain_text', text: 'Show all fixes' }, value: '{"pipeline_id":"p"}' }] }],
    });
    await client.chat.update({ channel: command.channel_id, ts: posted.ts!, text: 'verdict', blocks: [{ type: 'actions', block_id: 'b1', elements: [{ type: 'button', action_id: 'dlt_show_fixes', text: { type: 'plain_text', text: 'Show all fixes' }, value: '{"pipeline_id":"p"}' }] }] });
  });
  app.action<BlockAction<ButtonAction>>('dlt_show_fixes', async ({ body, ack, client, respond }) => {
    await ack();
    seen.actions.push(body);
    await client.chat.postMessage({ channel: body.channel!.id, thread_ts: body.message!.ts, text: 'all fixes' });
    await respond({ response_type: 'ephemeral', replace_original: false, text: 'posted in the thread' });
  });
  return { api, receiver, app, seen };
}

describe('ConsoleReceiver', () => {
  it('a typed /dlt becomes a slash command body Bolt routes to app.command, with a working response_url', async () => {
    const { api, receiver, seen } = tinyApp();
    const d = receiver.slashCommand('#data-eng', 'help');
    await d.acked;
    await d.done;
    expect(seen.commands[0]).toMatchObject({ command: '/dlt', text: 'help', channel_id: 'C_DATA_ENG', channel_name: 'data-eng', user_id: 'U_CONSOLE', team_id: 'T_CONSOLE' });
    expect(seen.commands[0]!.response_url).toMatch(/^https:\/\/console\.local\/respond\//);
    expect(seen.commands[0]!.trigger_id).toBeTruthy();
    expect(api.history('C_DATA_ENG')).toMatchObject([{ text: 'usage', ephemeral: true }]);
  });

  it('a click becomes block_actions with the stored button value, message, container and channel', async () => {
    const { api, receiver, seen } = tinyApp();
    await receiver.slashCommand('C_DATA_ENG', 'why-slow orders_silver').done;
    const [parent] = api.history('C_DATA_ENG');
    expect(parent!.text).toBe('verdict');
    const d = receiver.action('C_DATA_ENG', parent!.ts, 'dlt_show_fixes');
    await d.done;
    const body = seen.actions[0]!;
    expect(body.type).toBe('block_actions');
    expect(body.actions[0]).toMatchObject({ type: 'button', action_id: 'dlt_show_fixes', block_id: 'b1', value: '{"pipeline_id":"p"}' });
    expect(body.container).toMatchObject({ type: 'message', message_ts: parent!.ts, channel_id: 'C_DATA_ENG' });
    expect(body.message).toMatchObject({ ts: parent!.ts, text: 'verdict' });
    expect(body.user.id).toBe('U_CONSOLE');
    const replies = api.replies('C_DATA_ENG', parent!.ts);
    expect(replies.map((m) => m.text)).toEqual(['all fixes']);
    // the ephemeral answer to a click on a top-level message shows in the channel, as in Slack
    expect(api.history('C_DATA_ENG').at(-1)).toMatchObject({ text: 'posted in the thread', ephemeral: true });
    expect(api.history('C_DATA_ENG').at(-1)!.thread_ts).toBeUndefined();
  });

  it('an ack with text is shown ephemerally, as Slack shows it', async () => {
    const { api, receiver } = tinyApp();
    await receiver.slashCommand('C_DATA_ENG', 'ack-text').done;
    expect(api.history('C_DATA_ENG')).toMatchObject([{ text: 'acked with text', ephemeral: true }]);
  });

  it('refuses unknown channels, messages and buttons with a status for the HTTP layer', async () => {
    const { api, receiver } = tinyApp();
    expect(() => receiver.slashCommand('#nope', 'help')).toThrow(ConsoleRequestError);
    expect(() => receiver.action('C_DATA_ENG', '1.000001', 'dlt_show_fixes')).toThrow(/No message/);
    const m = api.post('C_DATA_ENG', { text: 'plain' });
    try {
      receiver.action('C_DATA_ENG', m.ts, 'dlt_show_fixes');
      expect.unreachable();
    } catch (err) {
      expect((err as ConsoleRequestError).status).toBe(400);
    }
  });

  it('a command nothing listens to rejects its ack instead of hanging', async () => {
    const api = createFakeSlackApi();
    const receiver = new ConsoleReceiver({ api, command: '/other' });
    new App({ receiver, token: 'xoxb-console', tokenVerificationEnabled: false, clientOptions: { fetch: api.fetch } });
    const d = receiver.slashCommand('C_DATA_ENG', 'x');
    await expect(d.acked).rejects.toMatchObject({ status: 404 });
  });

  describe('modals', () => {
    const modal = (extra: Record<string, unknown> = {}) => ({
      type: 'modal' as const,
      callback_id: 'dlt_apply_modal',
      private_metadata: '{"p":"pid"}',
      title: { type: 'plain_text' as const, text: 'Apply a fix' },
      submit: { type: 'plain_text' as const, text: 'Apply' },
      close: { type: 'plain_text' as const, text: 'Cancel' },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'diff' } }],
      ...extra,
    });

    /** a button that opens a modal with the click's trigger_id, and a view listener acking as told */
    function modalApp(ackWith: (body: ViewSubmitAction) => unknown, extra: Record<string, unknown> = {}) {
      const { api, receiver, app } = tinyApp();
      const submissions: ViewSubmitAction[] = [];
      const closes: ViewClosedAction[] = [];
      app.action<BlockAction<ButtonAction>>('dlt_apply', async ({ ack, body, client }) => {
        await ack();
        await client.views.open({ trigger_id: body.trigger_id, view: modal(extra) });
      });
      app.view<ViewSubmitAction>('dlt_apply_modal', async ({ ack, body }) => {
        submissions.push(body);
        await ack(ackWith(body) as never);
      });
      app.view<ViewClosedAction>({ callback_id: 'dlt_apply_modal', type: 'view_closed' }, async ({ ack, body }) => {
        closes.push(body);
        await ack();
      });
      const m = api.post('C_DATA_ENG', { text: 'fix', blocks: [{ type: 'section', block_id: 's', text: { type: 'mrkdwn', text: 'fix' }, accessory: { type: 'button', action_id: 'dlt_apply', text: { type: 'plain_text', text: 'Apply' }, value: '{}' } }] });
      const open = async () => {
        await receiver.action('C_DATA_ENG', m.ts, 'dlt_apply').done;
        const [view] = api.openViews('U_CONSOLE');
        expect(view).toBeDefined();
        return view!;
      };
      return { api, receiver, submissions, closes, open };
    }

    it('a click opens the modal with its trigger_id; submit sends a view_submission Bolt routes by callback_id; a bare ack closes it', async () => {
      const { api, receiver, submissions, open } = modalApp(() => undefined);
      const view = await open();
      const r = await receiver.viewSubmission(view.id);
      await r.done;
      expect(r).toMatchObject({ closed: true });
      const body = submissions[0]!;
      expect(body).toMatchObject({
        type: 'view_submission',
        user: { id: 'U_CONSOLE', team_id: 'T_CONSOLE' },
        team: { id: 'T_CONSOLE' },
        api_app_id: 'A_CONSOLE',
        view: { id: view.id, callback_id: 'dlt_apply_modal', private_metadata: '{"p":"pid"}', state: { values: {} }, hash: view.hash, type: 'modal', team_id: 'T_CONSOLE' },
      });
      expect(api.openViews('U_CONSOLE')).toEqual([]);
      await expect(receiver.viewSubmission(view.id)).rejects.toMatchObject({ status: 404 });
    });

    it('response_action "errors" keeps the view open with the errors; "update" replaces it', async () => {
      let answer: unknown = { response_action: 'errors', errors: { s: 'The pipeline changed meanwhile.' } };
      const { api, receiver, open } = modalApp(() => answer);
      const view = await open();
      expect(await receiver.viewSubmission(view.id)).toMatchObject({ closed: false, errors: { s: 'The pipeline changed meanwhile.' } });
      expect(api.view(view.id)).toBeDefined();
      answer = { response_action: 'update', view: modal({ title: { type: 'plain_text', text: 'Applied' }, submit: undefined }) };
      expect(await receiver.viewSubmission(view.id)).toMatchObject({ closed: false });
      expect(api.view(view.id)!.title).toEqual({ type: 'plain_text', text: 'Applied' });
      await expect(receiver.viewSubmission(view.id)).rejects.toMatchObject({ status: 400 }); // no submit button any more
    });

    it('closing sends view_closed only to a view opened with notify_on_close', async () => {
      const quiet = modalApp(() => undefined);
      const v1 = await quiet.open();
      await (await quiet.receiver.viewClosed(v1.id)).done;
      expect(quiet.api.view(v1.id)).toBeUndefined();
      expect(quiet.closes).toEqual([]);

      const notified = modalApp(() => undefined, { notify_on_close: true });
      const v2 = await notified.open();
      await (await notified.receiver.viewClosed(v2.id)).done;
      expect(notified.api.view(v2.id)).toBeUndefined();
      expect(notified.closes).toMatchObject([{ type: 'view_closed', view: { id: v2.id, callback_id: 'dlt_apply_modal' }, user: { id: 'U_CONSOLE' } }]);
      await expect(notified.receiver.viewClosed(v2.id)).rejects.toMatchObject({ status: 404 });
    });
  });
});

describe('buttons that share an action_id', () => {
  it('a click on the second Apply dispatches the second fix (value and block name the button), never the first', async () => {
    const { api, receiver, app } = tinyApp();
    const values: (string | undefined)[] = [];
    app.action<BlockAction<ButtonAction>>('dlt_apply', async ({ ack, body }) => {
      await ack();
      values.push(body.actions[0]!.value);
    });
    const fix = (n: number) => ({ type: 'section', block_id: `fix_${n}`, text: { type: 'mrkdwn', text: `fix ${n}` }, accessory: { type: 'button', action_id: 'dlt_apply', text: { type: 'plain_text', text: 'Apply' }, value: `{"recommendation_id":"fix-${n}"}` } });
    const m = api.post('C_DATA_ENG', { text: 'fixes', blocks: [fix(1), fix(2), fix(3)] });
    await receiver.action('C_DATA_ENG', m.ts, 'dlt_apply', { value: '{"recommendation_id":"fix-2"}' }).done;
    await receiver.action('C_DATA_ENG', m.ts, 'dlt_apply', { blockId: 'fix_3' }).done;
    await receiver.action('C_DATA_ENG', m.ts, 'dlt_apply').done;
    expect(values).toEqual(['{"recommendation_id":"fix-2"}', '{"recommendation_id":"fix-3"}', '{"recommendation_id":"fix-1"}']);
    // a value the message does not hold is refused, not dispatched
    expect(() => receiver.action('C_DATA_ENG', m.ts, 'dlt_apply', { value: '{"recommendation_id":"drop-tables"}' })).toThrow(/no button dlt_apply with that value/);
    expect(values).toHaveLength(3);
  });
});
