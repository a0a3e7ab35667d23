/**
 * Update states of every pipeline from system.lakeflow.pipeline_update_timeline in ONE statement
 * (fleet-update-states.sql), shared by the pipeline list and the alert poller. When the statement is
 * refused (table not granted, schema not enabled, no warehouse) that is remembered for
 * TIMELINE_RETRY_MS so the callers go straight to their REST fallback instead of paying a failed
 * statement on every list or poll.
 */
import type { QueryName, SqlParams, Warehouse } from './sql.js';
import { fleetStates, type FleetState } from './fleet-states.js';

/** how long an unavailable update-timeline table is not asked again */
export const TIMELINE_RETRY_MS = 10 * 60_000;

export interface FleetReader {
  /** every pipeline's latest update (and baseline) since `since`; null when the table is unavailable */
  read(since: Date): Promise<Map<string, FleetState> | null>;
}

/**
 * One fleet statement whose refusal (table not granted, schema not enabled) is remembered for
 * TIMELINE_RETRY_MS: the caller gets null at once instead of paying a failed statement every time.
 */
export function refusalCachedQuery<T>(o: { warehouse: Warehouse | null; now: () => number }, name: QueryName, fold: (rows: unknown[]) => T): (params: SqlParams) => Promise<T | null> {
  let downUntil = 0;
  return async (params) => {
    if (!o.warehouse || o.now() < downUntil) return null;
    try {
      // a refused statement, and rows of a shape this version cannot read (checked at the edge), alike
      return fold(await o.warehouse.query(name, params));
    } catch {
      downUntil = o.now() + TIMELINE_RETRY_MS;
      return null;
    }
  };
}

export function createFleetReader(o: { warehouse: Warehouse | null; now: () => number }): FleetReader {
  const query = refusalCachedQuery(o, 'fleet-update-states', fleetStates);
  return { read: (since) => query({ since }) };
}
