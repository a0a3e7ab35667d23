/**
 * The Slack surface over the real command layer and the demo workspace: what a person typing
 * /dlt in Slack gets, minus Slack itself (fake receiver + recording fake Web API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandText } from '../../../commands/index.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../../src/demo/workspace.js';
import { createSlackApp } from '../../../src/surfaces/slack/app.js';
import { limitViolations } from '../../../templates/blocks/split.js';
import { fakeSlackApi, quietLogger, slashCommand, TestReceiver, textOf } from './helpers.js';

describe('Slack over the demo workspace', () => {
  let demo: DemoWorkspace;
  beforeAll(async () => {
    demo = await startDemoWorkspace();
  });
  afterAll(async () => {
    await demo?.close();
  });

  function app() {
    const api = fakeSlackApi();
    const receiver = new TestReceiver();
    createSlackApp({
      config: { botToken: 'xoxb-test', charts: true, postIntervalMs: 0 },
      run: runCommandText,
      source: demo.source,
      logger: quietLogger(),
      receiver,
      tokenVerificationEnabled: false,
      clientOptions: { fetch: api.fetch, retryConfig: { retries: 0 } },
    });
    return { api, receiver };
  }

  it('/dlt pipelines then /dlt why-slow on the first one: a diagnosis within limits, with its chart', async () => {
    const { api, receiver } = app();
    await receiver.send(slashCommand('pipelines'));
    const list = api.of('chat.update').at(-1);
    expect(textOf(list)).toContain('Pipelines (');
    const name = (await demo.source.listPipelines())[0]!.name;

    await receiver.send(slashCommand(`why-slow ${name}`));
    const final = api.of('chat.update').at(-1)!;
    const blocks = final.params.blocks as { type: string; text?: { text: string } }[];
    expect(blocks[0]?.type).toBe('header');
    expect(blocks[0]?.text?.text).toContain(name);
    expect(limitViolations({ text: String(final.params.text), blocks: final.params.blocks as never })).toEqual([]);
    expect(api.of('files.completeUploadExternal')).toHaveLength(1);
  });

  it('/dlt why-slow with a typo answers ephemerally with "Did you mean"', async () => {
    const { api, receiver } = app();
    const name = (await demo.source.listPipelines())[0]!.name;
    await receiver.send(slashCommand(`why-slow ${name.slice(0, -1)}x`));
    const [respond] = api.of('respond');
    expect(respond?.params.response_type).toBe('ephemeral');
    expect(textOf(respond)).toContain('Did you mean');
    expect(textOf(respond)).toContain(name);
  });
});
