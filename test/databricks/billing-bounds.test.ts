/**
 * Billing queries at period edges: usage_date partition bounds are UTC days widened by one (derived
 * in src/databricks/sql.ts, never `CAST(:ts AS DATE)`, which a Databricks warehouse evaluates in
 * its session time zone), the exact usage_start_time bounds decide, and every statement over
 * system.billing.usage is bounded by usage_date outside any OR.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayParameters } from '../../src/databricks/sql.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';

const QUERY_DIR = new URL('../../src/databricks/queries/', import.meta.url);
const P = 'eeeeeeee-0000-4000-8000-000000000001';
const H = 3_600_000;
const at = (s: string) => Date.parse(s);

/** one hourly usage record of 1 DBU of pipeline P, starting at `start` */
function usage(id: string, start: string, updateId: string | null = null) {
  const s = at(start);
  return {
    record_id: id, account_id: 'acc', workspace_id: 'ws', sku_name: 'JOBS', cloud: 'AWS',
    usage_start_time: new Date(s).toISOString(), usage_end_time: new Date(s + H).toISOString(),
    usage_unit: 'DBU', usage_quantity: 1, record_type: 'ORIGINAL', billing_origin_product: 'DLT',
    usage_metadata: { dlt_pipeline_id: P, ...(updateId ? { dlt_update_id: updateId } : {}) },
  };
}

const ROWS = [
  usage('before-start', '2026-11-19T19:00:00Z'), // before :since (same UTC day): out
  usage('just-after-start', '2026-11-19T20:30:00Z'), // UTC day 11-19, Tokyo day 11-20: in
  usage('middle', '2026-11-20T12:00:00Z'),
  usage('just-before-end', '2026-11-21T01:00:00Z'), // UTC day 11-21, Los Angeles day 11-20: in
  usage('at-end', '2026-11-21T02:00:00Z'), // = :until, exclusive: out
  // an old update, outside the cost window: per-update statements still find it by its own span
  usage('old-update', '2026-10-01T08:00:00Z', 'u-old'),
];
const data = () => ({
  pipelines: [{ pipeline: { pipeline_id: P }, events: [], usage: ROWS }],
  listPrices: [{ sku_name: 'JOBS', cloud: 'AWS', currency_code: 'USD', usage_unit: 'DBU', price_start_time: '2020-01-01T00:00:00Z', price_end_time: null, pricing: { default: 1, effective_list: { default: 1 } } }],
});
const since = new Date('2026-11-19T20:00:00Z');
const until = new Date('2026-11-21T02:00:00Z');
const IN_WINDOW = 3; // just-after-start, middle, just-before-end

describe('UTC day bounds for usage_date', () => {
  it('are the UTC day of a timestamp minus / plus one, whatever the process time zone', () => {
    const sql = 'WHERE d >= CAST(:since_day_before AS DATE) AND d <= CAST(:until_day_after AS DATE)';
    expect(dayParameters(sql, { since: new Date('2026-11-20T00:00:00.000Z'), until: new Date('2026-11-20T23:59:59.999Z') })).toEqual({
      since_day_before: '2026-11-19',
      until_day_after: '2026-11-21',
    });
    // a month and a year edge
    expect(dayParameters(sql, { since: '2026-03-01T00:30:00Z', until: '2026-12-31T23:30:00Z' })).toEqual({ since_day_before: '2026-02-28', until_day_after: '2027-01-01' });
    expect(dayParameters(sql, { since: null, until: null })).toEqual({ since_day_before: null, until_day_after: null });
    expect(() => dayParameters(sql, { since })).toThrow(/needs parameter :until/);
  });
});

for (const zone of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles']) {
  describe(`billing statements on a warehouse whose session time zone is ${zone}`, () => {
    let wh: DuckDbWarehouse;
    beforeAll(async () => {
      wh = await createDuckDbWarehouse(data(), { sessionTimeZone: zone });
    });
    afterAll(async () => {
      await wh.close();
    });

    it('pipeline-cost and cost-by-pipeline keep the usage just inside both edges and drop what is outside', async () => {
      const [cost] = await wh.query('pipeline-cost', { pipeline_id: P, since, until });
      expect(Number(cost!.dbus)).toBe(IN_WINDOW);
      const [byPipeline] = await wh.query('cost-by-pipeline', { since, until, workspace_id: null });
      expect(Number(byPipeline!.dbus)).toBe(IN_WINDOW);
    });

    it('digest-cost and digest-daily agree on the period', async () => {
      const [cost] = await wh.query('digest-cost', { previous_start: new Date(since.getTime() - 2 * 24 * H), period_start: since, period_end: until, pipeline_ids: null });
      expect(Number(cost!.dbus)).toBe(IN_WINDOW);
      const daily = await wh.query('digest-daily', { period_start: since, period_end: until, pipeline_ids: null });
      // usage_date is the UTC day: 11-19 (20:30), 11-20, 11-21 (01:00)
      expect(daily.map((d) => [d.day, Number(d.dbus)]).sort()).toEqual([['2026-11-19', 1], ['2026-11-20', 1], ['2026-11-21', 1]]);
    });

    it('pipeline-usage and list-prices return the window plus the update, bounded by usage_date', async () => {
      const params = { pipeline_id: P, update_id: 'u-old', since, until, update_start: new Date('2026-10-01T07:50:00Z'), update_end: new Date('2026-10-01T09:10:00Z') };
      const rows = await wh.query('pipeline-usage', params);
      expect(rows.map((r) => r.record_id).sort()).toEqual(['just-after-start', 'just-before-end', 'middle', 'old-update']);
      expect((await wh.query('list-prices', params)).map((r) => r.sku_name)).toEqual(['JOBS']);
    });

    it('update-cost finds the update inside its span and nothing when the span is elsewhere', async () => {
      const [inside] = await wh.query('update-cost', { pipeline_id: P, update_id: 'u-old', update_start: new Date('2026-10-01T07:50:00Z'), update_end: new Date('2026-10-01T09:10:00Z') });
      expect(Number(inside!.dbus)).toBe(1);
      // the usage_date bound is applied: a span a week later reads no partition holding the record
      const [elsewhere] = await wh.query('update-cost', { pipeline_id: P, update_id: 'u-old', update_start: new Date('2026-10-08T07:50:00Z'), update_end: new Date('2026-10-08T09:10:00Z') });
      expect(elsewhere!.dbus ?? null).toBeNull();
    });
  });
}

describe('the session time-zone emulation of the demo warehouse', () => {
  it('moves CAST(:ts AS DATE) to the zone’s day, as a Databricks warehouse does (so the old bounds would drop edge usage)', async () => {
    const { castDateInZone } = await import('../../src/demo/warehouse.js');
    const sql = 'SELECT CAST($since AS DATE) AS a, CAST($day AS DATE) AS b';
    const out = castDateInZone(sql, { since: '2026-11-19T20:00:00.000Z', day: '2026-11-19' }, 'Asia/Tokyo');
    expect(out).toContain("timezone('Asia/Tokyo', CAST(CAST($since AS TIMESTAMP) AS TIMESTAMPTZ))");
    // a day parameter is already a date: left alone
    expect(out).toContain('CAST($day AS DATE) AS b');
  });
});

/** the text of a .sql file without its `--` comment lines */
const statementOf = (file: string) =>
  readFileSync(new URL(file, QUERY_DIR), 'utf8')
    .split('\n')
    .filter((l) => !/^\s*--/.test(l))
    .join('\n');

/** Is position `i` of `sql` in a WHERE clause's top-level AND chain (no open paren, no OR at its level)? */
function topLevelConjunct(sql: string, i: number): boolean {
  let depth = 0;
  for (let j = i - 1; j >= 0; j--) {
    const ch = sql[j];
    if (ch === ')') depth++;
    else if (ch === '(') {
      if (depth === 0) return false; // inside a parenthesised group (an OR's branch, a function call)
      depth--;
    } else if (depth === 0 && /\bWHERE\s$/i.test(sql.slice(Math.max(0, j - 5), j + 1))) {
      break;
    } else if (depth === 0 && /\sOR\s$/i.test(sql.slice(Math.max(0, j - 3), j + 1))) return false;
    if (j === 0) return false;
  }
  // and no OR at the same level after it, up to the end of the clause
  depth = 0;
  for (let j = i; j < sql.length; j++) {
    const ch = sql[j];
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) return true;
      depth--;
    } else if (depth === 0 && /^\s(OR)\s/i.test(sql.slice(j, j + 4))) return false;
    else if (depth === 0 && /^\s(GROUP|ORDER)\s+BY\b/i.test(sql.slice(j, j + 10))) return true;
  }
  return true;
}

describe('every statement over system.billing.usage', () => {
  const files = readdirSync(QUERY_DIR).filter((f) => f.endsWith('.sql') && statementOf(f).includes('system.billing.usage'));

  it('is found (the billing statements of cost, digests and diagnosis)', () => {
    expect(files.sort()).toEqual(['cost-by-pipeline.sql', 'digest-cost.sql', 'digest-daily.sql', 'digest-updates.sql', 'digest-utilization.sql', 'list-prices.sql', 'pipeline-cost.sql', 'pipeline-usage.sql', 'update-cost.sql']);
  });

  it.each(files)('%s bounds usage_date from below and above by UTC days, outside any OR, and never casts a timestamp to DATE', (file) => {
    const sql = statementOf(file);
    for (const op of ['>=', '<=']) {
      const re = new RegExp(`u\\.usage_date ${op} `, 'g');
      const hits = [...sql.matchAll(re)];
      expect(hits.length, `${file}: usage_date ${op}`).toBeGreaterThan(0);
      for (const h of hits) {
        expect(topLevelConjunct(sql, h.index), `${file}: usage_date ${op} must be a top-level AND condition`).toBe(true);
        const bound = sql.slice(h.index, sql.indexOf('\n', h.index));
        expect(bound, file).toMatch(op === '>=' ? /:[a-z_]+_day_before\b/ : /:[a-z_]+_day_after\b/);
      }
    }
    // CAST(:x AS DATE) only of derived day parameters (a timestamp would use the session time zone)
    for (const m of sql.matchAll(/CAST\(:([a-z_]+) AS DATE\)/g)) expect(m[1], file).toMatch(/_day_(before|after)$/);
  });
});
