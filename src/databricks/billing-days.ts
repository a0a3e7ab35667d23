/**
 * UTC day bounds for `usage_date` (the billing table's partition column), derived from timestamp
 * parameters so a warehouse's session time zone cannot move them (src/databricks/sql.ts binds them).
 */
import type { SqlParams } from './sql.js';

const DAY_MS = 86_400_000;
const DAY_PARAM = /(?<![:A-Za-z0-9_]):([A-Za-z_][A-Za-z0-9_]*?)_day_(before|after)(?![A-Za-z0-9_])/g;

/**
 * `:<ts>_day_before` / `:<ts>_day_after` markers: the UTC calendar day ('YYYY-MM-DD') of timestamp
 * parameter `<ts>`, minus / plus one day, for `usage_date` partition bounds. Computed here because
 * `CAST(:ts AS DATE)` converts in the warehouse session time zone: on a non-UTC warehouse it moves a
 * period's first day and drops the usage just after midnight UTC. The day of margin keeps the
 * bound safe whatever day `usage_date` is counted in; the exact `usage_start_time` bounds decide.
 * A NULL timestamp gives NULL (LEAST/GREATEST then skip it).
 */
export function dayParameters(sql: string, params: SqlParams): SqlParams {
  const out: SqlParams = {};
  for (const m of sql.matchAll(DAY_PARAM)) {
    const [, base, side] = m as unknown as [string, string, 'before' | 'after'];
    if (!(base in params)) throw new Error(`:${base}_day_${side} needs parameter :${base}`);
    const v = params[base];
    if (v === null || v === undefined) {
      out[`${base}_day_${side}`] = null;
      continue;
    }
    const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v);
    if (!Number.isFinite(ms)) throw new Error(`:${base} is not a timestamp`);
    out[`${base}_day_${side}`] = new Date(ms + (side === 'before' ? -DAY_MS : DAY_MS)).toISOString().slice(0, 10);
  }
  return out;
}
