/**
 * The terminal's escape: text from outside (pipeline, flow and table names, messages) reaches the
 * CLI's plain-text templates without C0/C1 control characters, so a name cannot carry an ANSI
 * colour, cursor movement or an OSC 8 hyperlink (ESC ] 8 ;; url BEL) into someone's terminal.
 * Newlines and tabs stay; each other control character becomes U+FFFD (shown, not obeyed). The
 * templates add their own colour codes afterwards.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function stripControls(text: string): string {
  return text.replace(CONTROL, '\uFFFD');
}

/** A deep copy of a Reply (plain data: objects, arrays, strings, numbers) with every string cleaned. */
export function plainSafe<T>(value: T): T {
  if (typeof value === 'string') return stripControls(value) as T;
  if (Array.isArray(value)) return value.map(plainSafe) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainSafe(v)])) as T;
  }
  return value;
}
