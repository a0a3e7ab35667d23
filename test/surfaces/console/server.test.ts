/**
 * The console over HTTP with the real Slack surface (createSlackApp) and a fake command layer:
 * /console/command and /console/action answer on ack, the work arrives as server-sent events,
 * bad requests get clear 4xx answers, and the page's files are served with a strict CSP.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandContext, Reply } from '../../../commands/types.js';
import type { ConsoleChange, ConsoleMessage } from '../../../src/surfaces/console/fake-slack-api.js';
import { startConsole, type RunningConsole } from '../../../src/surfaces/console/server.js';
import { fakeDiagnosisReply } from '../../support/fake-diagnosis.js';
import { fakeSource, quietLogger } from '../slack/helpers.js';

let running: RunningConsole | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(run: (text: string, ctx: CommandContext) => Promise<Reply> = async () => fakeDiagnosisReply()) {
  const runMock = vi.fn(run);
  running = await startConsole({ port: 0, source: fakeSource, run: runMock, charts: true, postIntervalMs: 0, logger: quietLogger() });
  return { c: running, run: runMock };
}

/** The page's token, as app.js reads it from /console/state. */
async function pageToken(url: string): Promise<string> {
  const state = (await (await fetch(new URL('/console/state', url))).json()) as { token: string };
  return state.token;
}

const postJson = async (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-console-token': await pageToken(url), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A raw request with a Host header of our choosing (fetch does not let a caller set Host). */
function rawRequest(url: string, options: { method: string; host: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method: options.method, headers: { host: options.host, ...options.headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

async function until<T>(get: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads server-sent events from /console/events into `changes`. */
async function listen(url: string) {
  const changes: ConsoleChange[] = [];
  const abort = new AbortController();
  const res = await fetch(`${url}/console/events`, { signal: abort.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += new TextDecoder().decode(value);
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (chunk.includes('event: change')) changes.push(JSON.parse(chunk.split('\ndata: ')[1]!) as ConsoleChange);
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return { changes, stop: () => abort.abort() };
}

describe('console HTTP routes', () => {
  it('/dlt why-slow: acks at once, then the placeholder is updated in place into the diagnosis, live over SSE', async () => {
    const { c, run } = await start();
    const sse = await listen(c.url);
    const res = await postJson(`${c.url}/console/command`, { channel: 'C_DATA_ENG', text: 'why-slow orders_silver' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const final = await until(() => sse.changes.find((ch): ch is Extract<ConsoleChange, { type: 'message_changed' }> => ch.type === 'message_changed' && (ch.message.blocks[0] as { type?: string })?.type === 'header'));
    const first = sse.changes[0]!;
    expect(first.type).toBe('message');
    expect((first as { message: ConsoleMessage }).message.text).toContain('Diagnosing `orders_silver`');
    expect(final.message.ts).toBe((first as { message: ConsoleMessage }).message.ts);
    expect(JSON.stringify(final.message.blocks)).toContain('orders_silver: CPU-bound');
    expect(run).toHaveBeenCalledWith('why-slow orders_silver', expect.objectContaining({ channelId: 'C_DATA_ENG', userId: 'U_CONSOLE' }));

    // the chart lands in the thread and is served as a PNG
    const chart = await until(() => c.api.replies('C_DATA_ENG', final.message.ts).find((m) => m.files?.length));
    const png = await fetch(`${c.url}${chart.files![0]!.url}`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

    // the state has it too
    const state = (await (await fetch(`${c.url}/console/state`)).json()) as { channels: { id: string; name: string; messages: ConsoleMessage[] }[] };
    expect(state.channels.map((ch) => ch.name)).toEqual(['data-eng', 'pipeline-alerts']);
    expect(state.channels[0]!.messages.some((m) => m.ts === final.message.ts)).toBe(true);
    sse.stop();
  });

  it('a click on "Show all fixes" runs the button listener and posts the fixes in the thread', async () => {
    const { c, run } = await start();
    await postJson(`${c.url}/console/command`, { channel: 'data-eng', text: 'why-slow orders_silver' });
    const parent = await until(() => c.api.history('C_DATA_ENG').find((m) => (m.blocks[0] as { type?: string })?.type === 'header'));
    // a value no button of the message holds names no button: refused, nothing runs
    const forged = await postJson(`${c.url}/console/action`, { channel: 'C_DATA_ENG', message_ts: parent.ts, action_id: 'dlt_show_fixes', value: 'not the stored value' });
    expect(forged.status).toBe(400);
    const res = await postJson(`${c.url}/console/action`, { channel: 'C_DATA_ENG', message_ts: parent.ts, action_id: 'dlt_show_fixes' });
    expect(res.status).toBe(200);
    const fixes = await until(() => c.api.replies('C_DATA_ENG', parent.ts).find((m) => m.text.startsWith('All fixes')));
    expect(JSON.stringify(fixes.blocks)).toContain('All 4 fixes');
    expect(run).toHaveBeenLastCalledWith(expect.stringMatching(/^why-slow pl-orders-silver --update /), expect.anything());
  });

  it('help and user errors answer ephemerally', async () => {
    const { c } = await start(async (text) =>
      text === 'help' ? { kind: 'help', commands: [{ name: 'why-slow', summary: 'Diagnose', usage: 'why-slow <pipeline>', examples: ['why-slow orders_silver'] }], command: null } : { kind: 'error', code: 'PIPELINE_NOT_FOUND', message: 'No pipeline "x".', hint: null, suggestions: ['orders_silver'], usage: null },
    );
    await postJson(`${c.url}/console/command`, { channel: 'C_DATA_ENG', text: '' });
    const help = await until(() => c.api.history('C_DATA_ENG').find((m) => m.ephemeral));
    expect(JSON.stringify(help.blocks)).toContain('why-slow');
    await postJson(`${c.url}/console/command`, { channel: 'C_DATA_ENG', text: 'why-slow x' });
    await until(() => (c.api.history('C_DATA_ENG').filter((m) => m.ephemeral).length === 2 ? true : undefined));
    // the placeholder was deleted: only the two ephemeral answers remain
    expect(c.api.history('C_DATA_ENG').every((m) => m.ephemeral)).toBe(true);
  });

  it.each([
    ['bad JSON', '{"channel":', {}, 400, /Bad JSON/],
    ['missing text', { channel: 'C_DATA_ENG' }, {}, 400, /text/],
    ['unknown field', { channel: 'C_DATA_ENG', text: 'help', x: 1 }, {}, 400, /Bad request/],
    ['unknown channel', { channel: '#nope', text: 'help' }, {}, 404, /No channel/],
    ['another site', { channel: 'C_DATA_ENG', text: 'help' }, { origin: 'https://evil.example' }, 403, /other sites/],
  ])('/console/command refuses %s', async (_n, body, headers, status, message) => {
    const { c } = await start();
    const res = await postJson(`${c.url}/console/command`, body, headers);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('/console/action refuses a button the message does not have, and non-JSON bodies', async () => {
    const { c } = await start();
    const m = c.api.post('C_DATA_ENG', { text: 'no buttons' });
    const res = await postJson(`${c.url}/console/action`, { channel: 'C_DATA_ENG', message_ts: m.ts, action_id: 'dlt_show_fixes' });
    expect(res.status).toBe(400);
    const form = await fetch(`${c.url}/console/action`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-console-token': await pageToken(c.url) }, body: 'x' });
    expect(form.status).toBe(415);
  });

  it('answers only a loopback Host with its own port (DNS rebinding): anything else is 421 and runs nothing', async () => {
    const { c, run } = await start();
    const port = new URL(c.url).port;
    for (const host of [`attacker.example:${port}`, 'attacker.example', `127.0.0.1.nip.io:${port}`, `localhost:${Number(port) + 1}`, `localhost.:${port}`]) {
      const page = await rawRequest(`${c.url}/console/state`, { method: 'GET', host });
      expect(page.status, host).toBe(421);
      expect(page.body, host).not.toContain('"token"');
      const cmd = await rawRequest(`${c.url}/console/command`, {
        method: 'POST',
        host,
        headers: { 'content-type': 'application/json', 'x-console-token': await pageToken(c.url) },
        body: JSON.stringify({ channel: 'C_DATA_ENG', text: 'help' }),
      });
      expect(cmd.status, host).toBe(421);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
      expect((await rawRequest(`${c.url}/console/state`, { method: 'GET', host })).status, host).toBe(200);
    }
    expect(run).not.toHaveBeenCalled();
  });

  it('refuses a state-changing request without the page token, or with a wrong one', async () => {
    const { c, run } = await start();
    for (const token of [undefined, 'x', `${await pageToken(c.url)}x`]) {
      const res = await fetch(`${c.url}/console/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { 'x-console-token': token }) },
        body: JSON.stringify({ channel: 'C_DATA_ENG', text: 'help' }),
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(/console token/);
    }
    expect(run).not.toHaveBeenCalled();
  });

  it.each([
    ['bad JSON', '{"view_id":', 400, /Bad JSON/],
    ['no view_id', {}, 400, /view_id/],
    ['unknown field', { view_id: 'V1', x: 1 }, 400, /Bad request/],
    ['a view that is not open', { view_id: 'VNOPE' }, 404, /no longer open/],
  ])('/console/view_submission and /console/view_closed refuse %s', async (_n, body, status, message) => {
    const { c } = await start();
    for (const path of ['view_submission', 'view_closed']) {
      const res = await postJson(`${c.url}/console/${path}`, body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
  });

  it('a view the bot opens is in /console/state and on the event stream; closing it over HTTP removes it', async () => {
    const { c } = await start();
    const events = await listen(c.url);
    const opened = await c.client.views.open({
      trigger_id: c.api.createTrigger('U_CONSOLE'),
      view: { type: 'modal', title: { type: 'plain_text', text: 'Apply a fix' }, close: { type: 'plain_text', text: 'Cancel' }, blocks: [] },
    });
    const id = opened.view!.id!;
    const state = (await (await fetch(`${c.url}/console/state`)).json()) as { views: { id: string }[] };
    expect(state.views.map((v) => v.id)).toEqual([id]);
    await until(() => events.changes.find((e) => e.type === 'view_opened'));
    // no submit button: nothing to submit
    expect((await postJson(`${c.url}/console/view_submission`, { view_id: id })).status).toBe(400);
    const closed = await postJson(`${c.url}/console/view_closed`, { view_id: id });
    expect(closed.status).toBe(200);
    expect(c.api.view(id)).toBeUndefined();
    await until(() => events.changes.find((e) => e.type === 'view_closed' && e.view_id === id));
    events.stop();
  });

  it('serves the page and its static files with a CSP; unknown paths 404 as JSON', async () => {
    const { c } = await start();
    const page = await fetch(`${c.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('/console/app.js');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // nothing from the network
    for (const [path, type] of [['/console/app.js', 'javascript'], ['/console/render.js', 'javascript'], ['/console/app.css', 'css']]) {
      const r = await fetch(`${c.url}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toContain(type);
    }
    expect(c.handler.matches('/console/state')).toBe(true);
    expect(c.handler.matches('/slack/events')).toBe(false);
    const missing = await fetch(`${c.url}/console/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Nothing at /console/nope.' });
    expect((await fetch(`${c.url}/console/files/F404`)).status).toBe(404);
  });

  it('the exported client posts digests and alert threads that appear live', async () => {
    const { c } = await start();
    const sse = await listen(c.url);
    const root = await c.client.chat.postMessage({ channel: '#pipeline-alerts', text: 'orders_silver is 2× slower', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*orders_silver* is 2× slower' } }] });
    await c.client.chat.postMessage({ channel: 'C_PIPELINE_ALERTS', thread_ts: root.ts!, text: 'diagnosis follows' });
    await until(() => (sse.changes.length >= 3 ? true : undefined));
    expect(sse.changes.map((ch) => ch.type)).toEqual(['message', 'message', 'message_changed']);
    expect(c.api.message('C_PIPELINE_ALERTS', root.ts!)!.reply_count).toBe(1);
    sse.stop();
  });
});
