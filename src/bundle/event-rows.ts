/**
 * One events.jsonl line judged as the contract reads an event (CONTRACT §1): the fast checks that
 * keep a hostile line cheap, and the row schema. The JS bundle reader (read.ts) parses every line
 * with them; the offline workspace (offline.ts) only the lines read_json failed.
 */
import { EventRowSchema, MAX_DATE_MS, type EventRow } from '../databricks/schemas.js';

const ORIGIN_STRING_FIELDS = ['pipeline_id', 'pipeline_name', 'update_id', 'cluster_id', 'flow_id', 'flow_name', 'dataset_name', 'table_name', 'maintenance_id'] as const;

function optString(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'string';
}

function optNumber(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'number';
}

/**
 * Validates a JSON-parsed event row. The common shape (ISO timestamp ending in Z, `origin` and
 * `details` as objects or a `details` JSON string, no `error`) is checked by hand because zod is
 * several times slower than JSON.parse on this hot path; anything else goes through EventRowSchema.
 * Both accept and produce the same thing.
 */
export function parseEventRow(raw: unknown): EventRow | null {
  const fast = fastEventRow(raw);
  if (fast !== null) return fast;
  const parsed = EventRowSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

function fastEventRow(raw: unknown): EventRow | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  const eventType = o.event_type;
  if (typeof eventType !== 'string') return null;
  const ts = o.timestamp;
  let t: number;
  if (typeof ts === 'string' && ts.charCodeAt(ts.length - 1) === 90 /* Z */) t = Date.parse(ts);
  else if (typeof ts === 'number') t = ts;
  else return null;
  if (!Number.isFinite(t) || Math.abs(t) > MAX_DATE_MS) return null;
  const { id, level, message, maturity_level: maturity } = o;
  if (!optString(id) || !optString(level) || !optString(message) || !optString(maturity)) return null;
  if (o.error !== undefined && o.error !== null) return null;
  const origin = o.origin;
  if (origin !== undefined && origin !== null) {
    if (typeof origin !== 'object' || Array.isArray(origin)) return null;
    const or = origin as Record<string, unknown>;
    for (const k of ORIGIN_STRING_FIELDS) if (!optString(or[k])) return null;
    if (!optNumber(or.batch_id) || !optNumber(or.org_id)) return null;
  }
  let details = o.details;
  if (typeof details === 'string') {
    if (details === '') details = null;
    else {
      try {
        details = JSON.parse(details);
      } catch {
        return null;
      }
    }
  }
  if (details !== undefined && details !== null && (typeof details !== 'object' || Array.isArray(details))) return null;
  return {
    id: id as string | null | undefined,
    timestamp: t,
    event_type: eventType,
    level: level as string | null | undefined,
    message: message as string | null | undefined,
    maturity_level: maturity as string | null | undefined,
    origin: (origin ?? null) as EventRow['origin'],
    error: null,
    details: (details ?? null) as EventRow['details'],
  };
}

/**
 * Cheap refusals that keep CPU linear and small on hostile lines, each giving exactly what the full
 * path would (the line is skipped): a line whose first non-blank character is not `{` cannot parse
 * to an object, so JSON.parse (whose SyntaxError costs microseconds) is not called; a parsed value
 * without a string `event_type` and a string or number `timestamp` fails EventRowSchema too (JSON
 * has no Date or bigint), so zod's slow error path is not taken.
 */
export function mayBeObject(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 123 /* { */) return true;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return false;
}

export const UNPARSABLE: unique symbol = Symbol('unparsable');

/**
 * JSON.parse, or UNPARSABLE. The SyntaxError of a bad line is never looked at, so no stack trace is
 * captured for it (about half of its cost; JSON.parse is synchronous, nothing else runs meanwhile).
 */
export function tryParse(line: string): unknown {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return JSON.parse(line);
  } catch {
    return UNPARSABLE;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function cannotBeEvent(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return true;
  const o = v as Record<string, unknown>;
  const ts = typeof o.timestamp;
  return typeof o.event_type !== 'string' || (ts !== 'string' && ts !== 'number');
}

/** malformed lines a bundle's note and stats name by number */
export const MAX_SKIPPED_LINES = 20;
