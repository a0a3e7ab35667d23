/**
 * The update itself: `create_update` and `update_progress` events → start, end, state, cause, full
 * refresh and seconds per phase. Event shapes: docs.databricks.com/aws/en/ldp/monitor-event-log-schema.
 */
import type { EventRow, RawUpdate } from '../../databricks/schemas.js';
import { PHASES, type Phase, type UpdateInfo } from '../evidence.js';
import type { UpdateAgg } from './agg.js';
import { bool, obj, str, type Obj } from './json.js';

export const TERMINAL_UPDATE_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'CANCELLED']);
const PHASE_SET: ReadonlySet<string> = new Set(PHASES);

/**
 * REST events have no `details`; their messages still carry the state: "Update 1a2b is RUNNING.",
 * "Flow 'x' is COMPLETED." and, in real event logs, "Flow 'range' has COMPLETED." (databricks/bundle-examples).
 */
const STATE_IN_MESSAGE = /\b(?:is|has) ([A-Z][A-Z_]+)\.?\s*$/;

export function stateFromMessage(message: string | null | undefined): string | null {
  if (!message) return null;
  const m = STATE_IN_MESSAGE.exec(message);
  return m ? m[1]! : null;
}

export function updateProgress(u: UpdateAgg, row: EventRow, t: number, details: Obj | null): void {
  const state = str(obj(details?.update_progress)?.state) ?? (details ? null : stateFromMessage(row.message));
  if (state) u.progress.push({ t, state: state.toUpperCase() });
}

export function createUpdate(u: UpdateAgg, t: number, details: Obj | null): void {
  if (u.createdAt === null || t < u.createdAt) u.createdAt = t;
  const cu = obj(details?.create_update);
  if (!cu) return;
  u.cause = str(cu.cause) ?? u.cause;
  u.fullRefresh = bool(cu.full_refresh) ?? u.fullRefresh;
  const selected = (v: unknown) => Array.isArray(v) && v.length > 0;
  if (selected(cu.full_refresh_selection) || selected(cu.refresh_selection)) u.partialRefresh = true;
}

function sortedProgress(u: UpdateAgg): { t: number; state: string }[] {
  return u.progress.slice().sort((a, b) => a.t - b.t);
}

export function startOf(u: UpdateAgg): number {
  if (u.createdAt !== null) return u.createdAt;
  let min = Infinity;
  for (const p of u.progress) if (p.t < min) min = p.t;
  return Number.isFinite(min) ? min : u.minT;
}

export function endOf(u: UpdateAgg): number | null {
  if (u.progress.length === 0) return null;
  let last = u.progress[0]!;
  for (const p of u.progress) if (p.t >= last.t) last = p;
  return TERMINAL_UPDATE_STATES.has(last.state) ? last.t : null;
}

function outputRowsOf(u: UpdateAgg): number | null {
  let any = false;
  let sum = 0;
  for (const f of u.flows.values()) {
    if (!f.hasMetrics) continue;
    any = true;
    sum += f.outputRows + f.upsertedRows;
  }
  return any ? sum : null;
}

export function updateInfo(u: UpdateAgg, listed: RawUpdate | undefined): UpdateInfo {
  const progress = sortedProgress(u);
  const startedAt = startOf(u);
  const endedAt = endOf(u);
  const phasesS: Partial<Record<Phase, number>> = {};
  for (let i = 0; i < progress.length; i++) {
    const cur = progress[i]!;
    const key = cur.state.toLowerCase();
    if (!PHASE_SET.has(key)) continue;
    // the last, still-open phase of a running update lasts until the newest event seen
    const until = progress[i + 1]?.t ?? (endedAt === null ? u.maxT : cur.t);
    const phase = key as Phase;
    phasesS[phase] = (phasesS[phase] ?? 0) + Math.max(0, until - cur.t) / 1000;
  }
  let clusterId: string | null = null;
  let best = 0;
  for (const [id, n] of u.clusterCounts) {
    if (n > best) {
      best = n;
      clusterId = id;
    }
  }
  // A full refresh: create_update says so, the updates list says so, or the update passed through
  // RESETTING (Databricks resets the tables' state before a full refresh).
  const resetting = progress.some((p) => p.state === 'RESETTING');
  const fullRefresh = u.fullRefresh ?? listed?.full_refresh ?? (resetting ? true : false);
  return {
    id: u.id,
    state: progress[progress.length - 1]?.state ?? listed?.state ?? 'UNKNOWN',
    cause: u.cause ?? listed?.cause ?? null,
    fullRefresh: fullRefresh || (resetting && !u.partialRefresh),
    startedAt,
    endedAt,
    durationS: endedAt === null ? null : Math.max(0, endedAt - startedAt) / 1000,
    phasesS,
    clusterId: clusterId ?? listed?.cluster_id ?? null,
    outputRows: outputRowsOf(u),
    dbrVersion: u.dbrVersion,
  };
}
