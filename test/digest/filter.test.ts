import { describe, expect, it } from 'vitest';
import { filterPipelines, globToRegExp, parseFilter } from '../../src/digest/filter.js';
import { fakeSpec } from '../support/fake-evidence.js';

const p = (name: string, tags: Record<string, string> = {}) => ({ name, spec: fakeSpec({ tags }) });
const pipelines = [p('orders_silver', { team: 'finance' }), p('orders_gold', { team: 'sales' }), p('ORDERS_raw'), p('iot_ingest', { team: 'fin-ops' }), p('myorders_x')];

function names(text: string): string[] {
  const f = parseFilter(text);
  if (!f.ok) throw new Error(f.message);
  return filterPipelines(f.filter, pipelines).map((x) => x.name);
}

describe('digest filter', () => {
  it('name globs: whole name, case-insensitive, * and ?', () => {
    expect(names('orders_*')).toEqual(['orders_silver', 'orders_gold', 'ORDERS_raw']);
    expect(names('*_gold')).toEqual(['orders_gold']);
    expect(names('iot_?ngest')).toEqual(['iot_ingest']);
    expect(names('orders')).toEqual([]);
  });

  it('tag:k=v, with a glob value', () => {
    expect(names('tag:team=finance')).toEqual(['orders_silver']);
    expect(names('tag:team=fin*')).toEqual(['orders_silver', 'iot_ingest']);
    expect(names('tag:owner=x')).toEqual([]);
  });

  it('regex characters are literal', () => {
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('a.b').test('a.b')).toBe(true);
  });

  it.each(['tag:team', 'tag:=x', 'tag:team=', 'orders silver', 'orders_[0-9]', '', 'a;drop'])('rejects %j with a message', (text) => {
    const f = parseFilter(text);
    expect(f.ok).toBe(false);
    if (!f.ok) expect(f.message).toMatch(/e\.g\./);
  });
});
