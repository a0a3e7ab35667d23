// The console page: channels, messages, threads and a /dlt composer over the console's HTTP API.
// It keeps no logic of its own: commands and clicks go to the server as Slack would send them, and
// whatever the bot posts arrives through server-sent events and is drawn by render.js.
import { escapeHtml, renderMessage, renderModal } from './render.js';

const state = { channels: [], messages: {}, users: {}, current: null, thread: null, expectThread: null, unread: {}, view: null };
const $ = (id) => document.getElementById(id);

const isReply = (m) => m.thread_ts && m.thread_ts !== m.ts;

function setStatus(text, kind = '') {
  const el = $('status');
  el.textContent = text;
  el.className = `status ${kind}`;
}

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-console-token': state.token || '' }, body: JSON.stringify(body) });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      message = (await res.json()).error || message;
    } catch {}
    throw new Error(message);
  }
  return res.json().catch(() => ({}));
}

// ---- modals: the bot opens them with views.open; the dialog shows the one open view ----

function showView(view) {
  const dialog = $('modal');
  state.view = view;
  dialog.innerHTML = renderModal(view, { users: state.users });
  if (!dialog.open) dialog.showModal();
  const submit = dialog.querySelector('[data-view-submit]');
  (submit || dialog.querySelector('[data-view-close]'))?.focus();
}

function hideView(id) {
  if (!state.view || (id && state.view.id !== id)) return;
  state.view = null;
  const dialog = $('modal');
  if (dialog.open) dialog.close();
  dialog.innerHTML = '';
}

async function submitView(button) {
  const id = button.dataset.viewSubmit;
  const dialog = $('modal');
  for (const b of dialog.querySelectorAll('button')) b.disabled = true;
  try {
    const r = await post('/console/view_submission', { view_id: id });
    if (r.errors) dialog.querySelector('.modal-errors').textContent = Object.values(r.errors).join(' ');
    if (r.closed) hideView(id);
  } catch (err) {
    dialog.querySelector('.modal-errors').textContent = err.message;
  } finally {
    for (const b of dialog.querySelectorAll('button')) b.disabled = false;
  }
}

async function closeView(id) {
  hideView(id);
  try {
    await post('/console/view_closed', { view_id: id });
  } catch (err) {
    // already closed on the server (a second tab, a restart): nothing left to do
    if (!/no longer open/.test(err.message)) setStatus(err.message, 'error');
  }
}

function nearBottom(el) {
  return el.scrollHeight - el.scrollTop - el.clientHeight < 80;
}

function renderList(el, messages, options) {
  const stick = nearBottom(el);
  el.innerHTML = messages.length ? messages.map((m) => renderMessage(m, { users: state.users, ...options })).join('') : '<p class="empty">No messages yet. Try <code>/dlt why-slow orders_silver</code>.</p>';
  if (stick) el.scrollTop = el.scrollHeight;
}

function renderChannels() {
  $('channels').innerHTML = state.channels
    .map((c) => `<li><button type="button" data-channel="${escapeHtml(c.id)}" class="${c.id === state.current ? 'active' : ''}"># ${escapeHtml(c.name)}${state.unread[c.id] ? `<span class="unread">${state.unread[c.id]}</span>` : ''}</button></li>`)
    .join('');
}

function render() {
  const channel = state.channels.find((c) => c.id === state.current);
  $('channel-name').textContent = channel ? `#${channel.name}` : '#';
  renderChannels();
  const all = state.messages[state.current] || [];
  renderList($('messages'), all.filter((m) => !isReply(m)), {});
  const panel = $('thread');
  if (state.thread && state.thread.channel === state.current) {
    const parent = all.find((m) => m.ts === state.thread.ts);
    const replies = all.filter((m) => m.thread_ts === state.thread.ts && m.ts !== state.thread.ts);
    panel.hidden = false;
    renderList($('thread-messages'), parent ? [parent, ...replies] : replies, { inThread: true });
  } else {
    panel.hidden = true;
  }
}

function openChannel(id) {
  state.current = id;
  state.unread[id] = 0;
  if (state.thread && state.thread.channel !== id) state.thread = null;
  history.replaceState(null, '', `#${state.channels.find((c) => c.id === id)?.name ?? ''}`);
  render();
  const list = $('messages');
  list.scrollTop = list.scrollHeight;
}

function openThread(channel, ts) {
  state.thread = { channel, ts };
  render();
  const list = $('thread-messages');
  list.scrollTop = list.scrollHeight;
}

function apply(change) {
  if (change.type === 'view_opened' || change.type === 'view_updated') {
    if (change.view.user === state.me && (change.type === 'view_opened' || state.view?.id === change.view.id)) showView(change.view);
    return;
  }
  if (change.type === 'view_closed') {
    hideView(change.view_id);
    return;
  }
  if (change.type === 'message_deleted') {
    const list = state.messages[change.channel] || [];
    state.messages[change.channel] = list.filter((m) => m.ts !== change.ts);
    if (state.thread && state.thread.ts === change.ts) state.thread = null;
  } else {
    const m = change.message;
    const list = (state.messages[m.channel] ||= []);
    const i = list.findIndex((x) => x.ts === m.ts);
    if (i >= 0) list[i] = m;
    else {
      list.push(m);
      if (m.channel !== state.current && !isReply(m)) state.unread[m.channel] = (state.unread[m.channel] || 0) + 1;
      // the first reply after a button click opens that thread: the user asked for it
      if (isReply(m) && state.expectThread === `${m.channel}/${m.thread_ts}`) {
        state.expectThread = null;
        state.thread = { channel: m.channel, ts: m.thread_ts };
        render();
        $('thread-messages').scrollTop = $('thread-messages').scrollHeight;
        return;
      }
    }
  }
  render();
}

async function load() {
  const res = await fetch('/console/state');
  const data = await res.json();
  state.channels = data.channels.map((c) => ({ id: c.id, name: c.name }));
  state.users = data.users || {};
  state.me = data.user;
  state.token = data.token;
  state.messages = Object.fromEntries(data.channels.map((c) => [c.id, c.messages]));
  const wanted = decodeURIComponent(location.hash.slice(1));
  const first = state.channels.find((c) => c.name === wanted) || state.channels[0];
  if (first) openChannel(first.id);
  const open = (data.views || []).at(-1);
  if (open) showView(open);
  else hideView();
}

function connect() {
  const events = new EventSource('/console/events');
  events.addEventListener('open', () => {
    $('connection').textContent = 'live';
    $('connection').className = 'connection live';
  });
  events.addEventListener('change', (e) => apply(JSON.parse(e.data)));
  events.addEventListener('error', () => {
    $('connection').textContent = 'reconnecting…';
    $('connection').className = 'connection';
  });
  // after a reconnect, reload the whole state: events sent while offline are not replayed
  events.addEventListener('hello', () => load().catch(() => undefined));
}

async function runCommand(raw) {
  const text = raw.trim();
  if (!text) return;
  const m = /^\/dlt(?:\s+([\s\S]*))?$/i.exec(text);
  if (!m) {
    setStatus('Only /dlt commands run here. Try /dlt help.', 'error');
    return;
  }
  setStatus(`/dlt ${m[1] ?? ''}`.trim());
  try {
    await post('/console/command', { channel: state.current, text: (m[1] ?? '').trim() });
    setStatus('');
  } catch (err) {
    setStatus(err.message, 'error');
  }
}

function wire() {
  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('composer-input');
    const text = input.value;
    input.value = '';
    await runCommand(text);
  });
  $('composer-input').addEventListener('keydown', (e) => {
    if (e.key === '?' && e.target.value === '') {
      e.preventDefault();
      runCommand('/dlt help');
    }
  });
  $('help-button').addEventListener('click', () => runCommand('/dlt help'));
  $('close-thread').addEventListener('click', () => {
    state.thread = null;
    render();
  });
  $('modal').addEventListener('click', (e) => {
    const submit = e.target.closest('[data-view-submit]');
    if (submit) {
      e.preventDefault();
      submitView(submit);
      return;
    }
    const close = e.target.closest('[data-view-close]');
    if (close) closeView(close.dataset.viewClose);
  });
  // Escape closes a Slack modal too
  $('modal').addEventListener('cancel', (e) => {
    e.preventDefault();
    if (state.view) closeView(state.view.id);
  });
  $('channels').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-channel]');
    if (b) openChannel(b.dataset.channel);
  });
  for (const list of [$('messages'), $('thread-messages')]) {
    list.addEventListener('click', async (e) => {
      const link = e.target.closest('.thread-link');
      if (link) {
        openThread(state.current, link.dataset.thread);
        return;
      }
      const button = e.target.closest('[data-action-id]');
      if (!button) return;
      const message = button.closest('.message');
      state.expectThread = `${message.dataset.channel}/${state.thread && list.id === 'thread-messages' ? state.thread.ts : message.dataset.ts}`;
      // url buttons open their link (the browser does it) and Slack still sends the action
      if (button.tagName === 'BUTTON') button.disabled = true;
      try {
        // several buttons may share an action_id (every fix's Apply): the block and value say which one
        const blockId = button.closest('[data-block-id]')?.dataset.blockId;
        await post('/console/action', { channel: message.dataset.channel, message_ts: message.dataset.ts, action_id: button.dataset.actionId, value: button.dataset.value, ...(blockId ? { block_id: blockId } : {}) });
      } catch (err) {
        setStatus(err.message, 'error');
      } finally {
        if (button.tagName === 'BUTTON') button.disabled = false;
      }
    });
  }
}

wire();
load()
  .then(connect)
  .catch((err) => setStatus(`Cannot reach the console server: ${err.message}`, 'error'));
$('composer-input').focus();
