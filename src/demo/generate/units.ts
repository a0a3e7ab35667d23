/** Units, demo-wide constants and small numeric helpers of the generator. */

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const USAGE_DAYS = 56;
export const CLOUD = 'AWS';
export const REGION = 'us-east-1';
/** how many of the newest updates get per-minute metrics, node_timeline rows and the scenario's traits */
export const RECENT = 3;
/** node_timeline rows per update are capped to its last 3 hours (continuous updates run for days) */
export const NODE_WINDOW_MAX = 3 * HOUR;

export const GB = 1e9;
export const MB = 1e6;

export const round = (v: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
export const iso = (ms: number): string => new Date(ms).toISOString();
export const day = (ms: number): string => iso(ms).slice(0, 10);
