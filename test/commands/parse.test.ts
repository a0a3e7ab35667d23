import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArgs, parseCommandText, tokenize } from '../../commands/parse.js';

const ok = <T>(r: { ok: true; value: T } | { ok: false; message: string }): T => {
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('tokenize', () => {
  it('splits on whitespace and keeps quoted parts together', () => {
    expect(ok(tokenize('why-slow "Orders Silver"  --update abc'))).toEqual(['why-slow', 'Orders Silver', '--update', 'abc']);
    expect(ok(tokenize("why-slow 'a b'"))).toEqual(['why-slow', 'a b']);
    expect(ok(tokenize('x "say \\"hi\\""'))).toEqual(['x', 'say "hi"']);
    expect(ok(tokenize('--name="a b"'))).toEqual(['--name=a b']);
    expect(ok(tokenize('""'))).toEqual(['']);
    // a name copied from the bot's output comes in backticks (inline code)
    expect(ok(tokenize('why-slow `orders_silver` --update `8f2c1e`'))).toEqual(['why-slow', 'orders_silver', '--update', '8f2c1e']);
    expect(ok(tokenize('why-slow `Orders Silver`'))).toEqual(['why-slow', 'Orders Silver']);
    expect(tokenize('why-slow `orders_silver').ok).toBe(false);
  });
  it('accepts the typographic quotes chat clients insert', () => {
    expect(ok(tokenize('why-slow \u201cOrders Silver\u201d'))).toEqual(['why-slow', 'Orders Silver']);
    expect(ok(tokenize('why-slow \u2018a b\u2019'))).toEqual(['why-slow', 'a b']);
  });
  it('keeps unicode names intact', () => {
    expect(ok(tokenize('why-slow "Bestellungen Übersicht 📦"'))).toEqual(['why-slow', 'Bestellungen Übersicht 📦']);
    expect(ok(tokenize('why-slow\u00a0注文'))).toEqual(['why-slow', '注文']);
  });
  it('reports an unclosed quote instead of throwing', () => {
    const r = tokenize('why-slow "orders');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/Unclosed quote/);
  });
  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        const r = parseCommandText(s);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseArgs', () => {
  it('reads --name value, --name=value, boolean flags and --', () => {
    expect(ok(parseArgs(['a', '--update', 'u1', '--gb=5', '--json', 'b', '--', '--literal']))).toEqual({ _: ['a', 'b', '--literal'], update: 'u1', gb: '5', json: true });
  });
  it('a flag with no value is true; negative numbers are values', () => {
    expect(ok(parseArgs(['--update']))).toEqual({ _: [], update: true });
    expect(ok(parseArgs(['--gb', '-5']))).toEqual({ _: [], gb: '-5' });
  });
  it('rejects repeated flags, single-dash options and junk names', () => {
    expect(parseArgs(['--a', '1', '--a', '2']).ok).toBe(false);
    expect(parseArgs(['-x']).ok).toBe(false);
    expect(parseArgs(['--$$']).ok).toBe(false);
    expect(parseArgs(['--json=maybe']).ok).toBe(false);
  });
});

describe('parseCommandText', () => {
  it('strips /dlt and reads the command name, --json and --help', () => {
    expect(ok(parseCommandText('/dlt why-slow orders_silver --update abc --json'))).toEqual({ name: 'why-slow', args: { _: ['orders_silver'], update: 'abc' }, json: true, help: false });
    expect(ok(parseCommandText('dlt SIZE -h'))).toEqual({ name: 'size', args: { _: [] }, json: false, help: true });
    expect(ok(parseCommandText('   '))).toEqual({ name: null, args: { _: [] }, json: false, help: false });
  });
});
