/**
 * The one Databricks SQL → DuckDB rewrite, so `src/databricks/queries/*.sql` run unchanged on the
 * demo warehouse. Only three rewrites, applied outside string literals, quoted identifiers and
 * comments (checked against @duckdb/node-api 1.5.6):
 *  - `system.<schema>.<table>` → `system_<schema>_<table>` (the catalog name `system` is reserved in DuckDB);
 *  - named parameter markers `:name` → `$name` (`::` casts are left alone);
 *  - `current_timestamp()` → `current_timestamp` (DuckDB rejects the parentheses).
 * Everything else (get_json_object, unix_timestamp, percentile_approx, event_log) is a macro
 * created by the demo warehouse.
 */
export function toDuckDbSql(sql: string): { sql: string; params: string[] } {
  let out = '';
  const params: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    // skip literals, quoted identifiers and comments verbatim
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = closingQuote(sql, i, ch);
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      const end = nl === -1 ? sql.length : nl;
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close === -1 ? sql.length : close + 2;
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    if (ch === ':') {
      if (next === ':') {
        out += '::';
        i += 2;
        continue;
      }
      const m = /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(i));
      if (m) {
        const name = m[1]!;
        if (!params.includes(name)) params.push(name);
        out += `$${name}`;
        i += m[0].length;
        continue;
      }
    }
    if (/[A-Za-z_]/.test(ch) && (i === 0 || !/[A-Za-z0-9_.$]/.test(sql[i - 1]!))) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))![0];
      const lower = word.toLowerCase();
      if (lower === 'system') {
        const m = /^system\.([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)/i.exec(sql.slice(i));
        if (m) {
          out += `system_${m[1]}_${m[2]}`;
          i += m[0].length;
          continue;
        }
      }
      if (lower === 'current_timestamp') {
        const m = /^current_timestamp\s*\(\s*\)/i.exec(sql.slice(i));
        if (m) {
          out += word;
          i += m[0].length;
          continue;
        }
      }
      out += word;
      i += word.length;
      continue;
    }
    out += ch;
    i++;
  }
  return { sql: out, params };
}

/** index just past the closing quote; a doubled quote ('it''s') and a backslash escape stay inside */
function closingQuote(sql: string, start: number, quote: string): number {
  let j = start + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (c === '\\' && quote === "'") {
      j += 2;
      continue;
    }
    if (c === quote) {
      if (sql[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return sql.length;
}
