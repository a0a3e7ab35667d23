/**
 * A pipeline's newest update as GET /api/2.0/pipelines lists it (`statuses[].latest_updates`, one
 * page per 100 pipelines): id, state and creation time, no duration. The REST fallback of the
 * pipeline list and of the alert poll when system.lakeflow.pipeline_update_timeline is unavailable.
 */
import type { RawPipelineStatus } from './schemas.js';

export interface LatestUpdate {
  id: string;
  state: string | null;
  startedAt: number | null;
}

/** creation_time arrives as an ISO string (or epoch ms) */
export function timeMs(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = String(v);
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
  return Number.isFinite(t) ? t : null;
}

/** the newest of `latest_updates` by creation time (the API lists them newest first; not relied on) */
export function latestUpdate(status: Pick<RawPipelineStatus, 'latest_updates'>): LatestUpdate | null {
  let best: LatestUpdate | null = null;
  for (const u of status.latest_updates ?? []) {
    const at = timeMs(u.creation_time);
    if (!best || (at ?? -Infinity) > (best.startedAt ?? -Infinity)) best = { id: u.update_id, state: u.state ?? null, startedAt: at };
  }
  return best;
}
