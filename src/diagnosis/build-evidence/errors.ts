/**
 * ERROR events, and WARN events that carry an exception, → ErrorInfo with the flow they came from.
 * `error` is `{ fatal, exceptions: [{ class_name, message, … }] }` (event log schema).
 */
import type { EventRow } from '../../databricks/schemas.js';
import type { ErrorInfo } from '../evidence.js';

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
    exceptions: (e?.exceptions ?? []).map((x) => ({ className: x.class_name ?? '', message: x.message ?? '' })),
  };
}
