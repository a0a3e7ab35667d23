/**
 * Small formatting helpers shared by the core (verdict summaries, finding titles) and templates/.
 * Pure; no locale surprises (always en-US digits).
 */

/** 45 → "45s", 900 → "15m 0s", 3900 → "1h 5m". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  // one wording everywhere (issue 17 item 9): h and m, or m and s; a zero part is left out
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s / 60}m`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return m ? `${h}h ${m}m` : `${h}h`;
}

/** Integers with thousands separators; other numbers to at most `digits` decimals. */
export function formatNumber(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const rounded = Number(n.toFixed(digits));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** 2.134 → "2.13×", 0.917 → "0.92×", 12.3 → "12.3×": one wording for ratios on every surface */
export function formatRatio(r: number): string {
  return `${Math.abs(r) < 10 ? r.toFixed(2) : r.toFixed(1)}×`;
}

/**
 * Fills "{{name}}" placeholders of a rule message; unknown placeholders stay visible. One wording
 * for units (issue 17 item 9): a number placeholder followed by " s" or " min" is a duration and is
 * written in h m s ("{{initS}} s" with 1016 → "16m 56s"); one followed by " word(s)" gets the
 * singular or plural ("{{scripts}} init script(s)" with 3 → "3 init scripts").
 */
export function fillTemplate(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}( (?:s|min)\b| [\w-]+(?: [\w-]+)?\(s\))?/g, (whole, key: string, after: string | undefined) => {
    const v = data?.[key];
    if (v === undefined) return whole;
    if (typeof v !== 'number') return `${v}${after ?? ''}`;
    if (after === ' s') return formatDuration(v);
    if (after === ' min') return formatDuration(v * 60);
    if (after?.endsWith('(s)')) return `${formatNumber(v)}${after.slice(0, -3)}${v === 1 ? '' : 's'}`;
    return `${formatNumber(v)}${after ?? ''}`;
  });
}
