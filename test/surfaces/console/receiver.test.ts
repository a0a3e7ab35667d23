/**
 * The console receiver with a tiny Bolt app of our own: the bodies it hands to processEvent have
 * Slack's shapes (Bolt routes them to app.command / app.action), respond() and the client land in
 * the fake API, and an ack that carries a message shows like Slack shows it.
 */
import { describe, expect, it } from 'vitest';
import { App, type BlockAction, type ButtonAction, type SlashCommand } from '@slack/bolt';
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
});
