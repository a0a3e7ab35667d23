// Block Kit → HTML for the local console. A plain ES module with no imports: the page loads it as
// is (no build step) and the tests import it in Node. Every piece of payload text is escaped;
// only the markup written here is HTML. Unknown block types are shown as such, never dropped.
// Formatting reference: https://docs.slack.dev/messaging/formatting-message-text

// status dots are drawn with CSS so they show on machines without an emoji font
const DOTS = { red_circle: 'red', large_orange_circle: 'orange', large_blue_circle: 'blue', white_check_mark: 'ok' };
const EMOJI = {
  hourglass_flowing_sand: '⏳',
  warning: '⚠️',
  x: '❌',
  bulb: '💡',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  moneybag: '💰',
  rotating_light: '🚨',
  eyes: '👀',
  grey_question: '❔',
  hourglass: '⌛',
  white_circle: '⚪',
  bell: '🔔',
  no_bell: '🔕',
  wrench: '🔧',
  mag: '🔍',
  tada: '🎉',
  information_source: 'ℹ️',
  heavy_check_mark: '✔️',
  stopwatch: '⏱️',
  calendar: '📅',
  memo: '📝',
};

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(s) {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Slack's own escapes (&amp; &lt; &gt;) back to the characters they stand for. */
function unslack(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function emoji(escaped) {
  return escaped.replace(/:([a-z0-9_+-]+):/g, (m, name) => {
    if (Object.prototype.hasOwnProperty.call(DOTS, name)) return `<span class="dot dot-${DOTS[name]}" role="img" aria-label="${name.replace(/_/g, ' ')}"></span>`;
    return Object.prototype.hasOwnProperty.call(EMOJI, name) ? EMOJI[name] : m;
  });
}

function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) || url.startsWith('/console/') ? url : null;
}

function linkHtml(inner, users) {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) : '';
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = label || (users && users[id]) || id;
    return `<span class="mention">@${escapeHtml(unslack(name))}</span>`;
  }
  if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(unslack(label || target.slice(1)))}</span>`;
  if (target.startsWith('!date^')) {
    // Slack's date token: shown in the reader's own time zone, the fallback when it cannot be read
    // (https://docs.slack.dev/messaging/formatting-message-text#date-formatting)
    const seconds = Number(target.split('^')[1]);
    const shown = Number.isFinite(seconds) ? new Date(seconds * 1000).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : unslack(label);
    return `<time>${escapeHtml(shown)}</time>`;
  }
  if (target.startsWith('!')) {
    const special = target.slice(1).split('^')[0];
    return `<span class="mention">@${escapeHtml(unslack(label || special))}</span>`;
  }
  const url = safeUrl(unslack(target));
  const text = escapeHtml(unslack(label || target));
  if (!url) return text;
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
}

/** Inline formatting of escaped text: *bold*, _italic_, ~strike~ (word boundaries as Slack wants them). */
function inlineFormat(escaped) {
  return escaped
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1<b>$2</b>')
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<i>$2</i>')
    .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/g, '$1<s>$2</s>');
}

/** Slack mrkdwn → HTML. */
export function mrkdwn(text, options = {}) {
  const users = options.users || {};
  const saved = [];
  const keep = (html) => `\u0000${saved.push(html) - 1}\u0000`;
  let s = String(text ?? '').replace(/\u0000/g, '');
  // code first: nothing inside code is formatted
  s = s.replace(/```\n?([\s\S]*?)```\n?/g, (_, code) => keep(`<pre class="code-block">${escapeHtml(unslack(code.replace(/\n$/, '')))}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_, code) => keep(`<code>${escapeHtml(unslack(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, inner) => keep(linkHtml(inner, users)));
  let html = inlineFormat(emoji(escapeHtml(unslack(s))));
  html = html.replace(/\n/g, '<br>');
  // restore in reverse so placeholders inside saved html (none today) stay correct
  return html.replace(/\u0000(\d+)\u0000/g, (_, i) => saved[Number(i)]);
}

function plain(textObject) {
  if (!textObject) return '';
  return textObject.type === 'mrkdwn' ? mrkdwn(textObject.text) : emoji(escapeHtml(unslack(String(textObject.text ?? ''))));
}

function textObject(t, options) {
  if (!t) return '';
  return t.type === 'mrkdwn' ? mrkdwn(t.text, options) : plain(t);
}

function imageHtml(url, alt, cls) {
  const safe = safeUrl(String(url ?? ''));
  const altText = escapeHtml(alt ?? '');
  if (!safe) return `<span class="${cls} image-missing">[image: ${altText}]</span>`;
  return `<img class="${cls}" src="${escapeHtml(safe)}" alt="${altText}" loading="lazy">`;
}

function buttonHtml(el, options) {
  const style = el.style === 'primary' || el.style === 'danger' ? ` btn-${el.style}` : '';
  const label = plain(el.text);
  const data = `data-action-id="${escapeHtml(el.action_id)}"${el.value !== undefined ? ` data-value="${escapeHtml(el.value)}"` : ''}`;
  const url = el.url ? safeUrl(String(el.url)) : null;
  if (url) return `<a class="btn${style}" role="button" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer" ${data}>${label} <span aria-hidden="true">↗</span></a>`;
  const disabled = options.interactive === false ? ' disabled' : '';
  return `<button type="button" class="btn${style}" ${data}${disabled}>${label}</button>`;
}

/** One block → HTML. */
export function renderBlock(block, options = {}) {
  const type = escapeHtml(block && block.type);
  const open = `<div class="block block-${type}" data-block-type="${type}"${block && block.block_id ? ` data-block-id="${escapeHtml(block.block_id)}"` : ''}>`;
  switch (block && block.type) {
    case 'header':
      return `${open}<h3>${plain(block.text)}</h3></div>`;
    case 'section': {
      const parts = [];
      if (block.text) parts.push(`<div class="section-text">${textObject(block.text, options)}</div>`);
      if (block.fields && block.fields.length) parts.push(`<div class="fields">${block.fields.map((f) => `<div class="field">${textObject(f, options)}</div>`).join('')}</div>`);
      if (block.accessory) parts.push(`<div class="accessory">${element(block.accessory, options)}</div>`);
      return `${open}${parts.join('')}</div>`;
    }
    case 'context':
      return `${open}${(block.elements || []).map((e) => `<span class="context-el">${element(e, options)}</span>`).join('')}</div>`;
    case 'divider':
      return `${open}<hr></div>`;
    case 'actions':
      return `${open}${(block.elements || []).map((e) => element(e, options)).join('')}</div>`;
    case 'image':
      return `${open}<figure>${block.title ? `<figcaption>${plain(block.title)}</figcaption>` : ''}${imageHtml(block.image_url, block.alt_text, 'block-image')}</figure></div>`;
    case 'markdown':
      return `${open}${mrkdwn(block.text, options)}</div>`;
    default:
      return `${open}<span class="unsupported">[unsupported block: ${type}]</span></div>`;
  }
}

function element(el, options) {
  if (!el) return '';
  switch (el.type) {
    case 'button':
      return buttonHtml(el, options);
    case 'image':
      return imageHtml(el.image_url, el.alt_text, 'inline-image');
    case 'mrkdwn':
    case 'plain_text':
      return textObject(el, options);
    default:
      return `<span class="unsupported">[unsupported element: ${escapeHtml(el.type)}]</span>`;
  }
}

/** A list of blocks → HTML. */
export function renderBlocks(blocks, options = {}) {
  return (blocks || []).map((b) => renderBlock(b, options)).join('');
}

function time(ts) {
  const d = new Date(Number(String(ts).split('.')[0]) * 1000);
  return Number.isFinite(d.getTime()) ? `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}` : '';
}

/**
 * A stored message → HTML: author, time, "Only visible to you", blocks (or the text when there are
 * none), uploaded files, and the thread link on a parent. `options.inThread` hides the thread link.
 */
export function renderMessage(m, options = {}) {
  const users = options.users || {};
  const author = users[m.user] || (m.bot_id ? 'dlt-doctor' : m.user);
  const body = m.blocks && m.blocks.length ? renderBlocks(m.blocks, options) : `<div class="section-text">${mrkdwn(m.text, options)}</div>`;
  const files = (m.files || [])
    .map((f) => `<figure class="file"><figcaption>${escapeHtml(f.title || f.name)}</figcaption>${/^image\//.test(f.mimetype) ? imageHtml(f.url, f.alt_text || f.title, 'file-image') : `<a href="${escapeHtml(safeUrl(f.url) || '#')}">${escapeHtml(f.name)}</a>`}</figure>`)
    .join('');
  const replies = !options.inThread && m.reply_count ? `<button type="button" class="thread-link" data-thread="${escapeHtml(m.ts)}">${m.reply_count} ${m.reply_count === 1 ? 'reply' : 'replies'}</button>` : '';
  const cls = `message${m.ephemeral ? ' ephemeral' : ''}${m.bot_id ? ' bot' : ''}`;
  return (
    `<article class="${cls}" data-ts="${escapeHtml(m.ts)}" data-channel="${escapeHtml(m.channel)}">` +
    `<div class="avatar${m.bot_id ? ' avatar-bot' : ''}" aria-hidden="true">${m.bot_id ? 'dd' : escapeHtml(String(author).slice(0, 1).toUpperCase())}</div>` +
    `<div class="content"><div class="meta"><span class="author">${escapeHtml(author)}</span>${m.bot_id ? '<span class="app-tag">APP</span>' : ''}<time>${escapeHtml(time(m.ts))}</time>${m.edited ? '<span class="edited">(edited)</span>' : ''}</div>` +
    `${m.ephemeral ? '<div class="only-you">👁 Only visible to you</div>' : ''}<div class="blocks">${body}</div>${files}${replies}</div></article>`
  );
}

/**
 * An open modal (views.open) → the inside of the page's <dialog>: title, blocks, and the close and
 * submit buttons with the view's own labels (Slack's defaults: "Cancel", no submit button).
 * Buttons inside the blocks are shown but not clickable: the console sends no block_actions from views.
 */
export function renderModal(view, options = {}) {
  const title = plain(view.title);
  const close = view.close ? plain(view.close) : 'Cancel';
  const submit = view.submit ? `<button type="submit" class="btn btn-primary" data-view-submit="${escapeHtml(view.id)}">${plain(view.submit)}</button>` : '';
  return (
    `<form method="dialog" class="modal" data-view-id="${escapeHtml(view.id)}">` +
    `<header class="modal-header"><h2 id="modal-title">${title}</h2><button type="button" class="close" data-view-close="${escapeHtml(view.id)}" aria-label="Close">×</button></header>` +
    `<div class="modal-body blocks">${renderBlocks(view.blocks, { ...options, interactive: false })}</div>` +
    `<div class="modal-errors" role="alert"></div>` +
    `<footer class="modal-footer"><button type="button" class="btn" data-view-close="${escapeHtml(view.id)}">${close}</button>${submit}</footer>` +
    `</form>`
  );
}
