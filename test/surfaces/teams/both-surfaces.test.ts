/**
 * Every command that works in Slack works in Teams: walks the command list (COMMANDS) and runs each
 * command's first example on both surfaces over the demo workspace — Slack through a fake receiver,
 * Teams through /api/messages — and checks both answer with the same kind of reply, never "unknown command".
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, runCommandText } from '../../../commands/index.js';
import type { CommandContext, Reply } from '../../../commands/types.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../../src/demo/workspace.js';
import { createSlackApp } from '../../../src/surfaces/slack/app.js';
import { createTeamsSurface } from '../../../src/surfaces/teams/index.js';
import { fakeSlackApi, quietLogger as slackLogger, slashCommand, TestReceiver, textOf } from '../slack/helpers.js';
import { cardErrors, cardText, connector, messageActivity, post, quietLogger, startHandler } from './helpers.js';

const summary = (r: Reply) => (r.kind === 'error' ? `error:${r.code}` : r.kind);

describe('every command on both surfaces', () => {
  let demo: DemoWorkspace;
  let api: ReturnType<typeof connector> | undefined;
  beforeAll(async () => {
    demo = await startDemoWorkspace();
  });
  afterAll(async () => {
    await demo?.close();
  });
  afterEach(() => {
    api?.done();
    api = undefined;
  });

  const examples = COMMANDS.map((c) => [c.meta.name, c.meta.examples[0] ?? c.meta.name] as const);

  it('lists every command with an example', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const [name, example] of examples) expect(example.split(/\s+/)[0]).toBe(name);
  });

  it.each(examples)('%s: "%s" gets the same kind of answer in Slack and in Teams', async (_name, example) => {
    // Slack
    const slackReplies: Reply[] = [];
    const slackApi = fakeSlackApi();
    const receiver = new TestReceiver();
    createSlackApp({
      config: { botToken: 'xoxb-test', charts: false, postIntervalMs: 0 },
      run: async (text: string, ctx: CommandContext) => {
        const r = await runCommandText(text, ctx);
        slackReplies.push(r);
        return r;
      },
      source: demo.source,
      logger: slackLogger(),
      receiver,
      tokenVerificationEnabled: false,
      clientOptions: { fetch: slackApi.fetch, retryConfig: { retries: 0 } },
    });
    await receiver.send(slashCommand(example));
    const slackText = slackApi.calls.map(textOf).join('\n');

    // Teams
    const teamsReplies: Reply[] = [];
    api = connector();
    const teams = createTeamsSurface({
      config: null,
      db: null,
      source: demo.source,
      logger: quietLogger(),
      progressAfterMs: 60_000,
      run: async (text, ctx) => {
        const r = await runCommandText(text, ctx);
        teamsReplies.push(r);
        return r;
      },
    });
    const server = await startHandler(teams.handler);
    try {
      expect((await post(server.url, messageActivity(`dlt ${example}`, { mention: true }))).status).toBe(200);
    } finally {
      await server.close();
    }
    const cards = api.cards();
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(cardErrors(card)).toEqual([]);
    const teamsText = cards.map(cardText).join('\n');

    expect(slackReplies).toHaveLength(1);
    expect(teamsReplies).toHaveLength(1);
    expect(summary(teamsReplies[0]!)).toBe(summary(slackReplies[0]!));
    for (const text of [slackText, teamsText]) {
      expect(text.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/unknown command/i);
    }
  });
});
