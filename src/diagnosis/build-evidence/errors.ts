/**
 * ERROR events, and WARN events that carry an exception, → ErrorInfo with the flow they came from.
 * `error` is `{ fatal, exceptions: [{ class_name, message, … }] }` (event log schema).
 */
import type { EventRow } from '../../databricks/schemas.js';
import type { ErrorInfo } from '../evidence.js';
import { obj, str } from './json.js';

/** `details.flow_progress.status` upper-cased, else the status a flow message names ("Flow 'x' has FAILED."). */
function flowStatusOf(row: EventRow): string | null {
  const s = str(obj(obj(row.details)?.flow_progress)?.status);
  if (s) return s.toUpperCase();
  return /\bhas FAILED\b/.test(row.message ?? '') ? 'FAILED' : null;
}

export function errorOf(row: EventRow, t: number): ErrorInfo | null {
  const level = (row.level ?? '').toUpperCase();
  const e = row.error;
  const hasError = !!e && ((e.exceptions?.length ?? 0) > 0 || e.fatal === true);
  if (level !== 'ERROR' && !(level === 'WARN' && hasError)) return null;
  return {
    t,
    level,
    eventType: row.event_type,
    message: row.message ?? '',
    fatal: e?.fatal === true,
    flowName: row.origin?.flow_name ?? row.origin?.dataset_name ?? null,
    ...(row.event_type === 'flow_progress' ? { flowStatus: flowStatusOf(row) } : {}),
    exceptions: (e?.exceptions ?? []).map((x) => ({ className: x.class_name ?? '', message: x.message ?? '' })),
  };
}
