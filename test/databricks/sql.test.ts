import { describe, expect, it } from 'vitest';
import { DoctorError } from '../../src/errors.js';
import {
  connectOptions,
  createDatabricksWarehouse,
  loadQueries,
  quoteTableName,
  sqlFor,
  type SqlDriverClient,
  type SqlDriverSession,
  usedParameters,
} from '../../src/databricks/sql.js';

interface Call { sql: string; options: { namedParameters?: Record<string, unknown>; maxRows?: number } }

function fakeDriver(behaviour: { connectError?: unknown; executeError?: unknown; rows?: object[] } = {}) {
  const calls: Call[] = [];
  const log: string[] = [];
  let connects = 0;
  const client: SqlDriverClient = {
    async connect(options) {
      connects++;
      log.push(`connect ${JSON.stringify(options)}`);
      if (behaviour.connectError) throw behaviour.connectError;
    },
    async openSession(): Promise<SqlDriverSession> {
      log.push('openSession');
      return {
        async executeStatement(sql, options) {
          calls.push({ sql, options });
          if (behaviour.executeError) throw behaviour.executeError;
          return {
            fetchAll: async () => behaviour.rows ?? [{ n: 1 }],
            close: async () => log.push('op.close'),
          };
        },
        close: async () => log.push('session.close'),
      };
    },
    close: async () => log.push('client.close'),
  };
  return { factory: () => client, calls, log, connects: () => connects };
}

const base = { host: 'https://adb-1.2.azuredatabricks.net/', path: '/sql/1.0/warehouses/abc', auth: { kind: 'pat' as const, token: 'dapi-secret' } };

/** what the server says when a grant is missing (OperationStateError carries `response`) */
function serverError(message: string) {
  return Object.assign(new Error('The operation failed due to an error'), { response: { errorMessage: message, displayMessage: message } });
}

describe('createDatabricksWarehouse', () => {
  it('passes values as namedParameters and never splices them into the SQL text', async () => {
    const d = fakeDriver();
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory });
    const evil = "x'; DROP TABLE t; --";
    await wh.query('update-events', { pipeline_id: evil, update_id: evil });
    await wh.query('update-history', { pipeline_id: evil, since: new Date(0) });
    for (const call of d.calls) {
      expect(call.sql).not.toContain('DROP TABLE');
      expect(call.sql).not.toContain(evil);
      expect(Object.values(call.options.namedParameters ?? {})).toContain(evil);
    }
    expect(d.calls[0]!.sql).toBe(loadQueries().base['update-events']);
    expect(d.calls[0]!.sql).toContain('event_log(:pipeline_id)');
    expect(d.calls[1]!.options.namedParameters!.since).toBeInstanceOf(Date);
    expect(wh.stats().statements).toBe(2);
  });

  it('connects once, lazily, with the PAT or OAuth M2M, and closes sessions and operations', async () => {
    const d = fakeDriver({ rows: [{ dbus: 3 }] });
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory });
    expect(d.connects()).toBe(0);
    const [a, b] = await Promise.all([
      wh.query('update-cost', { pipeline_id: 'p', update_id: 'u', update_start: new Date(0), update_end: new Date(1) }),
      wh.query('update-cost', { pipeline_id: 'p', update_id: 'v', update_start: new Date(0), update_end: new Date(1) }),
    ]);
    expect(a).toEqual([{ dbus: 3 }]);
    expect(b).toEqual([{ dbus: 3 }]);
    expect(d.connects()).toBe(1);
    expect(d.log.filter((l) => l === 'session.close')).toHaveLength(2);
    expect(d.log.filter((l) => l === 'op.close')).toHaveLength(2);
    await wh.close();
    expect(d.log.at(-1)).toBe('client.close');
    expect(d.log[0]).toContain('"host":"adb-1.2.azuredatabricks.net"');

    expect(connectOptions('h', '/p', { kind: 'oauth-m2m', clientId: 'sp', clientSecret: 's' })).toEqual({
      host: 'h', path: '/p', authType: 'databricks-oauth', oauthClientId: 'sp', oauthClientSecret: 's', useDatabricksOAuthInAzure: true,
    });
  });

  it('reads a published event-log table by its validated, quoted name', async () => {
    const d = fakeDriver();
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory });
    await wh.query('update-events', { pipeline_id: 'p', update_id: 'u' }, { eventSource: { kind: 'table', table: 'main.ops.orders_events' } });
    expect(d.calls[0]!.sql).toContain('FROM `main`.`ops`.`orders_events`');
    expect(d.calls[0]!.sql).not.toContain('event_log(');
    // the table holds one pipeline's events: :pipeline_id is no longer in the text, so it is not sent
    expect(d.calls[0]!.options.namedParameters).toEqual({ update_id: 'u' });
    await expect(
      wh.query('update-events', { pipeline_id: 'p', update_id: 'u' }, { eventSource: { kind: 'table', table: 'main.ops.x; DROP TABLE t' } }),
    ).rejects.toMatchObject({ code: 'CONFIG' });
    expect(d.calls).toHaveLength(1);
  });

  it('uses the system-table variant when configured', async () => {
    const d = fakeDriver();
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory, eventSource: { kind: 'system_table' } });
    await wh.query('update-history', { pipeline_id: 'p', since: new Date(0) });
    // the Beta table answered the probe, so the statement reads it
    expect(d.calls[0]!.sql).toBe('SELECT 1 AS present FROM system.lakeflow_pipeline_events_preview.pipeline_events LIMIT 0');
    expect(d.calls[1]!.sql).toContain('FROM system.lakeflow_pipeline_events_preview.pipeline_events');
    // non-event queries are unaffected
    await wh.query('node-timeline', { cluster_id: 'c', start_time: new Date(0), end_time: new Date(1) });
    expect(d.calls[2]!.sql).toBe(sqlFor('node-timeline'));
  });

  it('maps a missing system-table grant to PERMISSION_DENIED with the exact GRANT', async () => {
    const d = fakeDriver({ executeError: serverError('[TABLE_OR_VIEW_NOT_FOUND] The table or view `system`.`billing`.`usage` cannot be found.') });
    const wh = createDatabricksWarehouse({ ...base, auth: { kind: 'oauth-m2m', clientId: 'sp-123', clientSecret: 'shh' }, driver: d.factory });
    const err = await wh.query('pipeline-cost', { pipeline_id: 'p', since: new Date(0), until: new Date(1) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DoctorError);
    expect((err as DoctorError).code).toBe('PERMISSION_DENIED');
    expect((err as DoctorError).hint).toBe('GRANT USE CATALOG ON CATALOG system TO `sp-123`; GRANT USE SCHEMA, SELECT ON SCHEMA system.billing TO `sp-123`;');
    expect(JSON.stringify({ m: (err as Error).message, h: (err as DoctorError).hint })).not.toContain('shh');

    const d2 = fakeDriver({ executeError: serverError('PERMISSION_DENIED: User does not have SELECT on system.compute') });
    const err2 = await createDatabricksWarehouse({ ...base, driver: d2.factory })
      .query('node-timeline', { cluster_id: 'c', start_time: new Date(0), end_time: new Date(1) })
      .then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as DoctorError);
    expect(err2.hint).toBe('GRANT USE CATALOG ON CATALOG system TO `<principal>`; GRANT USE SCHEMA, SELECT ON SCHEMA system.compute TO `<principal>`;');
  });

  it('maps an event_log() refusal to "owner only: publish it or run as the run-as principal"', async () => {
    const d = fakeDriver({ executeError: serverError('User does not have permission to access the event log of pipeline p') });
    const err = await createDatabricksWarehouse({ ...base, driver: d.factory })
      .query('update-events', { pipeline_id: 'p', update_id: 'u' })
      .then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as DoctorError);
    expect(err.code).toBe('PERMISSION_DENIED');
    expect(err.hint).toMatch(/readable only by the pipeline owner: publish it \(event_log setting\) and grant SELECT, or run the bot as the pipeline's run-as principal/);
    expect(err.cause).toBeDefined();
  });

  it('maps connection failures to SOURCE_UNAVAILABLE and retries the connection next time', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const d = fakeDriver({ connectError: refused });
    const wh = createDatabricksWarehouse({ ...base, driver: d.factory });
    const err = await wh.query('update-cost', { pipeline_id: 'p', update_id: 'u' }).then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as DoctorError);
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).not.toContain('dapi-secret');
    await wh.query('update-cost', { pipeline_id: 'p', update_id: 'u' }).catch(() => undefined);
    expect(d.connects()).toBe(2);
  });

  it('reports other SQL failures as SOURCE_UNAVAILABLE naming the statement', async () => {
    const d = fakeDriver({ executeError: serverError('[PARSE_SYNTAX_ERROR] Syntax error at or near ...') });
    const err = await createDatabricksWarehouse({ ...base, driver: d.factory })
      .query('cost-by-pipeline', { since: new Date(0), until: new Date(1), workspace_id: null })
      .then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as DoctorError);
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toContain('cost-by-pipeline');
  });
});

describe('usedParameters', () => {
  it('keeps the parameters whose marker the statement contains', () => {
    expect(usedParameters('SELECT :a, :ab, x::b FROM t WHERE c = :c_d', { a: 1, ab: 2, b: 3, c: 4, c_d: 5 })).toEqual({ a: 1, ab: 2, c_d: 5 });
  });
});

describe('quoteTableName', () => {
  it('quotes one to three identifier parts and refuses anything else', () => {
    expect(quoteTableName('events')).toBe('`events`');
    expect(quoteTableName('main.ops.events')).toBe('`main`.`ops`.`events`');
    for (const bad of ['a.b.c.d', 'a-b', 'a`b', '', 'a..b', "x'; DROP TABLE t; --"]) expect(() => quoteTableName(bad)).toThrow(DoctorError);
  });
});
