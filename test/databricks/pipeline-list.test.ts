/** The pipeline list's merge of the REST list and the fleet statement, and the cached refusal (fleet-reader.ts). */
import { describe, expect, it } from 'vitest';
import { createFleetReader, TIMELINE_RETRY_MS } from '../../src/databricks/fleet-reader.js';
import { listPipelineSummaries } from '../../src/databricks/pipeline-list.js';
import type { FleetReader } from '../../src/databricks/fleet-reader.js';
import type { FleetState } from '../../src/databricks/fleet-states.js';
import type { Warehouse } from '../../src/databricks/sql.js';

const T = Date.parse('2026-11-23T08:00:00Z');
const rest = (statuses: unknown[]) => ({ listPipelines: async () => statuses as never });
const reader = (states: Map<string, FleetState> | null): FleetReader => ({ read: async () => states });
const status = (id: string, latest: { update_id: string; state: string; creation_time: string }[]) => ({ pipeline_id: id, name: id, state: 'IDLE', latest_updates: latest });

describe('pipeline list', () => {
  it('takes durations and baselines from the timeline, but an update REST lists and the timeline does not know yet is the last one', async () => {
    const states = new Map<string, FleetState>([
      ['p1', { lastUpdate: { id: 'u1', state: 'COMPLETED', startedAt: T - 3_600_000, durationS: 600 }, baselineMedianS: 500 }],
      ['p2', { lastUpdate: { id: 'u2', state: 'RUNNING', startedAt: T - 3_600_000, durationS: null }, baselineMedianS: 400 }],
    ]);
    const list = await listPipelineSummaries(
      {
        rest: rest([
          status('p1', [{ update_id: 'u1b', state: 'RUNNING', creation_time: new Date(T - 60_000).toISOString() }]),
          status('p2', [{ update_id: 'u2', state: 'FAILED', creation_time: new Date(T - 3_600_000).toISOString() }]),
          status('p3', []),
        ]),
        fleet: reader(states),
        now: () => T,
      },
    );
    expect(list.map((p) => p.updatesSource)).toEqual(['update_timeline', 'update_timeline', 'update_timeline']);
    // p1: REST's newer update, no duration yet; the baseline still from the timeline
    expect(list[0]).toMatchObject({ lastUpdate: { id: 'u1b', state: 'RUNNING', durationS: null }, baselineMedianS: 500 });
    // p2: same update, REST's live state wins over the timeline's lagging RUNNING
    expect(list[1]).toMatchObject({ lastUpdate: { id: 'u2', state: 'FAILED' }, baselineMedianS: 400 });
    expect(list[2]).toMatchObject({ lastUpdate: null, baselineMedianS: null });
  });

  it('without the timeline: REST latest_updates, no baselines, and says so; without a warehouse: REST', async () => {
    const statuses = [status('p1', [
      { update_id: 'old', state: 'COMPLETED', creation_time: new Date(T - 7_200_000).toISOString() },
      { update_id: 'new', state: 'FAILED', creation_time: new Date(T - 60_000).toISOString() },
    ])];
    const noTimeline = await listPipelineSummaries({ rest: rest(statuses), fleet: reader(null), now: () => T });
    expect(noTimeline[0]).toMatchObject({ lastUpdate: { id: 'new', state: 'FAILED', startedAt: T - 60_000, durationS: null }, baselineMedianS: null, updatesSource: 'rest_no_timeline' });
    const noWarehouse = await listPipelineSummaries({ rest: rest(statuses), fleet: null, now: () => T });
    expect(noWarehouse[0]!.updatesSource).toBe('rest');
  });

  it('a refused timeline statement is not sent again for 10 minutes', async () => {
    let sent = 0;
    const warehouse = { query: async () => { sent++; throw new Error('TABLE_OR_VIEW_NOT_FOUND'); } } as unknown as Warehouse;
    const clock = { ms: T };
    const fleet = createFleetReader({ warehouse, now: () => clock.ms });
    expect(await fleet.read(new Date(0))).toBeNull();
    expect(await fleet.read(new Date(0))).toBeNull();
    expect(sent).toBe(1);
    clock.ms += TIMELINE_RETRY_MS;
    await fleet.read(new Date(0));
    expect(sent).toBe(2);
  });
});
