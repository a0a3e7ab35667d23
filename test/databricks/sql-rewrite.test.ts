import { describe, expect, it } from 'vitest';
import { toDuckDbSql } from '../../src/demo/to-duckdb-sql.js';

describe('toDuckDbSql', () => {
  it('renames system.<schema>.<table> to system_<schema>_<table>', () => {
    const { sql } = toDuckDbSql('SELECT * FROM system.billing.usage u JOIN system.billing.list_prices lp ON 1=1');
    expect(sql).toBe('SELECT * FROM system_billing_usage u JOIN system_billing_list_prices lp ON 1=1');
  });

  it('leaves other dotted names, and struct fields called system, alone', () => {
    const { sql } = toDuckDbSql('SELECT t.system, main.system.x, x.system.y FROM my_system.a.b');
    expect(sql).toBe('SELECT t.system, main.system.x, x.system.y FROM my_system.a.b');
  });

  it('turns :name markers into $name and lists each parameter once, in order', () => {
    const r = toDuckDbSql('SELECT 1 FROM event_log(:pipeline_id) WHERE origin.update_id = :update_id OR :pipeline_id IS NULL');
    expect(r.sql).toBe('SELECT 1 FROM event_log($pipeline_id) WHERE origin.update_id = $update_id OR $pipeline_id IS NULL');
    expect(r.params).toEqual(['pipeline_id', 'update_id']);
  });

  it('keeps :: casts', () => {
    const r = toDuckDbSql('SELECT x::double, :p::timestamp');
    expect(r.sql).toBe('SELECT x::double, $p::timestamp');
    expect(r.params).toEqual(['p']);
  });

  it('drops the parentheses of current_timestamp() but not of current_date()', () => {
    expect(toDuckDbSql('SELECT current_timestamp(), CURRENT_TIMESTAMP ( ), current_date(), current_timestamp').sql).toBe(
      'SELECT current_timestamp, CURRENT_TIMESTAMP, current_date(), current_timestamp',
    );
  });

  it('does not rewrite inside string literals, quoted identifiers or comments', () => {
    const input = [
      "SELECT get_json_object(details, '$.a:b system.x.y :nope') AS \"c :d\", `system.a.b`",
      '-- :comment system.billing.usage current_timestamp()',
      "/* :block system.a.b */ 'it''s :x' AS s, :real",
    ].join('\n');
    const r = toDuckDbSql(input);
    expect(r.params).toEqual(['real']);
    expect(r.sql).toBe(input.replace(':real', '$real'));
  });

  it('is idempotent on its own output', () => {
    const once = toDuckDbSql('SELECT :a FROM system.compute.node_timeline WHERE t < current_timestamp()').sql;
    expect(toDuckDbSql(once).sql).toBe(once);
  });
});
