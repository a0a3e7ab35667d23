/**
 * "/dlt why-slow orders_silver --update abc" → command name + raw args object for the command's zod
 * schema. Handles double, single, typographic quotes (Slack and Teams turn " into “ ”) and backticks, backslash
 * escapes inside double quotes, `--name value`, `--name=value`, boolean flags and `--`.
 * Never throws: a problem comes back as `{ ok: false, message }`.
 */

export type RawArgs = { _: string[] } & Record<string, string | true | string[]>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Flags that never take a value (--no-color is the terminal's; chat commands reject it). */
export const GLOBAL_BOOLEAN_FLAGS: ReadonlySet<string> = new Set(['json', 'help', 'no-color', 'baseline']);

// backticks too: names are copied from the bot's own output, where they are `inline code`
const OPEN_TO_CLOSE: Record<string, string> = { '`': '`', '"': '"', "'": "'", '\u201c': '\u201d', '\u201d': '\u201d', '\u2018': '\u2019', '\u2019': '\u2019', '\u201e': '\u201c' };

export function tokenize(text: string): ParseResult<string[]> {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let i = 0;
  const s = text.normalize('NFC');
  while (i < s.length) {
    const ch = s[i]!;
    if (/\s/u.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      i++;
      continue;
    }
    const close = OPEN_TO_CLOSE[ch];
    if (close !== undefined) {
      inToken = true;
      let j = i + 1;
      let closed = false;
      while (j < s.length) {
        const c = s[j]!;
        if (c === '\\' && ch === '"' && j + 1 < s.length) {
          current += s[j + 1];
          j += 2;
          continue;
        }
        if (c === close || (close === '"' && c === '\u201d') || (ch === '\u201c' && c === '"')) {
          closed = true;
          break;
        }
        current += c;
        j++;
      }
      if (!closed) return { ok: false, message: `Unclosed quote ${ch} in: ${text.length > 60 ? `${text.slice(0, 57)}…` : text}` };
      i = j + 1;
      continue;
    }
    current += ch;
    inToken = true;
    i++;
  }
  if (inToken) tokens.push(current);
  return { ok: true, value: tokens };
}

/** argv (after the command name) → `{ _: positionals, flag: value }`. */
export function parseArgs(tokens: readonly string[], booleanFlags: ReadonlySet<string> = GLOBAL_BOOLEAN_FLAGS): ParseResult<RawArgs> {
  const out: RawArgs = { _: [] } as RawArgs;
  let onlyPositionals = false;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (onlyPositionals || !tok.startsWith('-') || tok === '-' || /^-\d/.test(tok)) {
      out._.push(tok);
      continue;
    }
    if (tok === '--') {
      onlyPositionals = true;
      continue;
    }
    if (tok === '-h') {
      out.help = true;
      continue;
    }
    if (!tok.startsWith('--')) return { ok: false, message: `Unknown option ${tok} (options look like --name value).` };
    const body = tok.slice(2);
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    if (!/^[a-z][a-z0-9-]*$/i.test(name)) return { ok: false, message: `Not an option name: ${tok}` };
    if (name in out) return { ok: false, message: `--${name} is given twice.` };
    if (eq !== -1) {
      const v = body.slice(eq + 1);
      if (booleanFlags.has(name)) {
        if (!/^(true|false)$/i.test(v)) return { ok: false, message: `--${name} takes no value.` };
        if (/^true$/i.test(v)) out[name] = true;
        continue;
      }
      out[name] = v;
      continue;
    }
    const next = tokens[i + 1];
    if (!booleanFlags.has(name) && next !== undefined && !(next.startsWith('--') && next.length > 2)) {
      out[name] = next;
      i++;
    } else {
      out[name] = true;
    }
  }
  return { ok: true, value: out };
}

export interface ParsedCommand {
  name: string | null;
  args: RawArgs;
  json: boolean;
  help: boolean;
}

/** Drops a leading "/dlt", "dlt" or "dlt-doctor" (how people type it in chat and terminals). */
export function stripPrefix(tokens: string[]): string[] {
  const [first] = tokens;
  return first !== undefined && /^\/?(dlt|dlt-doctor)$/i.test(first) ? tokens.slice(1) : tokens;
}

/** Tokens → command name, raw args (without the global --json/--help) and those two flags. */
export function parseCommandTokens(tokens: readonly string[]): ParseResult<ParsedCommand> {
  const rest = stripPrefix([...tokens]);
  let name: string | null = null;
  if (rest[0] !== undefined && !rest[0].startsWith('-')) name = rest.shift()!.toLowerCase();
  const parsed = parseArgs(rest);
  if (!parsed.ok) return parsed;
  const { json, help, ...args } = parsed.value;
  return { ok: true, value: { name, args: args as RawArgs, json: json === true, help: help === true } };
}

export function parseCommandText(text: string): ParseResult<ParsedCommand> {
  const t = tokenize(text);
  if (!t.ok) return t;
  return parseCommandTokens(t.value);
}
