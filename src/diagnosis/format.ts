/**
 * Small formatting helpers shared by the core (verdict summaries, finding titles) and templates/.
 * Pure; no locale surprises (always en-US digits).
 */

/** 45 → "45s", 900 → "15m 0s", 3900 → "1h 5m". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  const h = Math.floor(s / 3600);
  return `${h}h ${Math.floor((s % 3600) / 60)}m`;
}

/** Integers with thousands separators; other numbers to at most `digits` decimals. */
export function formatNumber(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const rounded = Number(n.toFixed(digits));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** 2.134 → "2.1×" */
export function formatRatio(r: number): string {
  return `${r.toFixed(1)}×`;
}

/** Fills "{{name}}" placeholders of a rule message; unknown placeholders stay visible. */
export function fillTemplate(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, key: string) => {
    const v = data?.[key];
    if (v === undefined) return whole;
    return typeof v === 'number' ? formatNumber(v) : v;
  });
}
