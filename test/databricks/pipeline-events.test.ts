/**
 * Where the pipeline events system table is: Databricks' reference puts it at
 * system.lakeflow_pipeline_events_preview.pipeline_events during Beta and system.lakeflow.pipeline_events
 * at GA (docs.databricks.com/aws/en/admin/system-tables/pipeline-events). The warehouse probes the
 * Beta path, then the GA path (or uses DLT_DOCTOR_PIPELINE_EVENTS_TABLE), caches the answer, and
 * every GRANT hint is valid SQL naming the schema it resolved.
 */
import { describe, expect, it } from 'vitest';
import { DoctorError } from '../../src/errors.js';
import {
  createDatabricksWarehouse,
  grantInstruction,
  QUERY_NAMES,
  type EventSource,
  type SqlDriverClient,
  type SqlDriverSession,
} from '../../src/databricks/sql.js';

const PREVIEW = 'system.lakeflow_pipeline_events_preview.pipeline_events';
const GA = 'system.lakeflow.pipeline_events';

/** what the server says (OperationStateError carries `response`) */
const serverError = (message: string) => Object.assign(new Error('The operation failed due to an error'), { response: { errorMessage: message, displayMessage: message } });
const notFound = (table: string) => serverError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${table.split('.').join('`.`')}\` cannot be found. SQLSTATE: 42P01`);

/** a driver whose statements fail per `fail(sql)` (null: succeed) */
function driver(fail: (sql: string) => unknown) {
  const sqls: string[] = [];
  const client: SqlDriverClient = {
    async connect() {},
    async openSession(): Promise<SqlDriverSession> {
      return {
        async executeStatement(sql) {
          sqls.push(sql);
          const err = fail(sql);
          if (err) throw err;
          return { fetchAll: async () => [{ pipeline_id: 'p' }], close: async () => undefined };
        },
        close: async () => undefined,
      };
    },
    close: async () => undefined,
  };
  return { factory: () => client, sqls };
}

const base = { host: 'adb-1.2.azuredatabricks.net', path: '/sql/1.0/warehouses/abc', auth: { kind: 'oauth-m2m' as const, clientId: 'sp-123', clientSecret: 'shh' } };
const effParams = { period_start: new Date(0), period_end: new Date(1), pipeline_ids: null };

describe('the pipeline events table', () => {
  it('is the Beta path when it answers; one probe per warehouse, whatever the number of statements', async () => {
    const d = driver(() => null);
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory });
    await Promise.all([wh.query('digest-efficiency', effParams), wh.query('digest-efficiency', effParams)]);
    await wh.query('update-events', { pipeline_id: 'p', update_id: 'u' }, { eventSource: { kind: 'system_table' } });
    expect(d.sqls.filter((s) => s.includes('LIMIT 0'))).toEqual([`SELECT 1 AS present FROM ${PREVIEW} LIMIT 0`]);
    expect(d.sqls.filter((s) => !s.includes('LIMIT 0')).every((s) => s.includes(`FROM ${PREVIEW}`))).toBe(true);
    expect(wh.stats()).toEqual({ statements: 3, probes: 1 });
  });

  it('is the GA path when the Beta schema is gone', async () => {
    const d = driver((sql) => (sql.includes(PREVIEW) ? notFound(PREVIEW) : null));
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory });
    expect(await wh.query('digest-efficiency', effParams)).toEqual([{ pipeline_id: 'p' }]);
    await wh.query('digest-efficiency', effParams);
    expect(d.sqls.filter((s) => s.includes('LIMIT 0'))).toEqual([`SELECT 1 AS present FROM ${PREVIEW} LIMIT 0`, `SELECT 1 AS present FROM ${GA} LIMIT 0`]);
    expect(d.sqls.filter((s) => !s.includes('LIMIT 0'))).toHaveLength(2);
    expect(d.sqls.filter((s) => !s.includes('LIMIT 0')).every((s) => s.includes(`FROM ${GA}`) && !s.includes('{{'))).toBe(true);
  });

  it('is the configured table, probed never', async () => {
    const d = driver(() => null);
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory, pipelineEventsTable: 'ops.monitoring.pipeline_events' });
    await wh.query('digest-efficiency', effParams);
    expect(d.sqls).toHaveLength(1);
    expect(d.sqls[0]).toContain('FROM ops.monitoring.pipeline_events');
    expect(() => createDatabricksWarehouse({ ...base, driver: d.factory, pipelineEventsTable: 'x; DROP TABLE y' })).toThrow(DoctorError);
  });

  it('when neither path is readable: PERMISSION_DENIED naming both, with a GRANT on the Beta schema; asked again later', async () => {
    let now = 0;
    const d = driver((sql) => (sql.includes(PREVIEW) ? notFound(PREVIEW) : sql.includes(GA) ? notFound(GA) : null));
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory, now: () => now });
    const err = (await wh.query('digest-efficiency', effParams).catch((e: unknown) => e)) as DoctorError;
    expect(err.code).toBe('PERMISSION_DENIED');
    expect(err.message).toContain(`tried ${PREVIEW}, ${GA}`);
    expect(err.hint).toBe('GRANT USE CATALOG ON CATALOG system TO `sp-123`; GRANT USE SCHEMA, SELECT ON SCHEMA system.lakeflow_pipeline_events_preview TO `sp-123`;');
    expect(JSON.stringify([err.message, err.hint])).not.toContain('shh');
    // within the cache period nothing is probed again; after it (a grant may have been added) it is
    await wh.query('digest-efficiency', effParams).catch(() => undefined);
    expect(wh.stats().probes).toBe(2);
    now += 11 * 60_000;
    await wh.query('digest-efficiency', effParams).catch(() => undefined);
    expect(wh.stats().probes).toBe(4);
  });

  it('a cached table that disappears (Beta schema gone at GA) is probed again on the next statement', async () => {
    let ga = false;
    const d = driver((sql) => (sql.includes('system.billing.usage') ? notFound('system.billing.usage') : ga && sql.includes(PREVIEW) ? notFound(PREVIEW) : null));
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory });
    await wh.query('digest-efficiency', effParams);
    expect(d.sqls.at(-1)).toContain(`FROM ${PREVIEW}`);
    // a missing billing table does not unsettle the events table
    await expect(wh.query('pipeline-cost', { pipeline_id: 'p', since: new Date(0), until: new Date(1) })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await wh.query('digest-efficiency', effParams);
    expect(wh.stats().probes).toBe(1);
    ga = true;
    await expect(wh.query('digest-efficiency', effParams)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await wh.query('digest-efficiency', effParams)).toHaveLength(1);
    expect(d.sqls.at(-1)).toContain(`FROM ${GA}`);
    expect(wh.stats().probes).toBe(3);
  });

  it('an outage while probing is not cached as "missing"', async () => {
    let down = true;
    const d = driver((sql) => (down ? new Error('connect ECONNREFUSED 10.0.0.1:443') : sql.includes(PREVIEW) ? notFound(PREVIEW) : null));
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory });
    await expect(wh.query('digest-efficiency', effParams)).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    down = false;
    expect(await wh.query('digest-efficiency', effParams)).toHaveLength(1);
    expect(d.sqls.at(-1)).toContain(`FROM ${GA}`);
  });

  it('a refused statement on the resolved GA table names system.lakeflow in its GRANT', async () => {
    const d = driver((sql) => (sql.includes(PREVIEW) ? notFound(PREVIEW) : sql.includes('LIMIT 0') ? null : serverError('PERMISSION_DENIED: User does not have SELECT on Table system.lakeflow.pipeline_events')));
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory });
    const err = (await wh.query('digest-efficiency', effParams).catch((e: unknown) => e)) as DoctorError;
    expect(err.code).toBe('PERMISSION_DENIED');
    expect(err.hint).toBe('GRANT USE CATALOG ON CATALOG system TO `sp-123`; GRANT USE SCHEMA, SELECT ON SCHEMA system.lakeflow TO `sp-123`;');
  });
});

describe('every GRANT hint', () => {
  /** GRANT privilege_types ON securable_object TO principal (Databricks SQL reference, "GRANT ON SHARE" aside) */
  const STATEMENT = /^GRANT (USE CATALOG|USE SCHEMA, SELECT|USE SCHEMA|SELECT) ON (CATALOG|SCHEMA|TABLE) [A-Za-z0-9_`.]+ TO `[^`]+`$/;
  const sources: EventSource[] = [{ kind: 'event_log' }, { kind: 'system_table' }, { kind: 'table', table: 'main.ops.events' }];

  it('is one or more valid statements, each with a TO clause, naming the resolved schema', () => {
    for (const name of QUERY_NAMES) {
      for (const source of sources) {
        for (const resolved of [null, GA]) {
          const hint = grantInstruction(name, source, 'sp-1', resolved);
          if (!hint.startsWith('GRANT')) {
            // event_log(): owner only, no GRANT can help; the hint says what can
            expect(source.kind, `${name} ${source.kind}`).toBe('event_log');
            continue;
          }
          const statements = hint.split(/;\s*/).filter(Boolean);
          expect(hint.trim().endsWith(';'), hint).toBe(true);
          for (const s of statements) expect(s, `${name} ${source.kind}: ${hint}`).toMatch(STATEMENT);
          // fleet-update-states reads system.lakeflow.pipeline_update_timeline, which is in system.lakeflow whatever the events table resolved to
          if (name === 'fleet-update-states') expect(hint).toContain('SCHEMA system.lakeflow TO');
          else if (hint.includes('lakeflow')) expect(hint).toContain(resolved === GA ? 'SCHEMA system.lakeflow TO' : 'SCHEMA system.lakeflow_pipeline_events_preview TO');
        }
      }
    }
    expect(grantInstruction('update-events', { kind: 'table', table: 'main.ops.events' }, 'sp-1')).toBe(
      'GRANT USE CATALOG ON CATALOG `main` TO `sp-1`; GRANT USE SCHEMA ON SCHEMA `main`.`ops` TO `sp-1`; GRANT SELECT ON TABLE `main`.`ops`.`events` TO `sp-1`;',
    );
  });
});
