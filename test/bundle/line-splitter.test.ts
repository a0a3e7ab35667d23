/**
 * The Buffer line splitter gives exactly the lines node:readline gave (the reader it replaced), for
 * any text cut into any chunks, and refuses an over-long line without building it.
 */
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachLine } from '../../src/bundle/line-splitter.js';
import { DoctorError } from '../../src/errors.js';

async function viaReadline(text: string): Promise<string[]> {
  const out: string[] = [];
  const rl = createInterface({ input: Readable.from([Buffer.from(text)]), crlfDelay: Infinity });
  for await (const line of rl) out.push(out.length === 0 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
  return out;
}

/**
 * JSON Lines' own rule: lines end at \n, \r\n or a lone \r; a final terminator opens no empty
 * line; a BOM at the very start is dropped. U+2028 / U+2029 are NOT line ends: JSON allows them raw
 * inside strings. (node:readline agrees on Node 20 and 22; Node 24's readline also breaks lines at
 * U+2028 / U+2029, so readline is the reference only for texts without them.)
 */
function jsonLines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split(/\r\n|\n|\r/);
  if (/(\r\n|\n|\r)$/.test(text)) parts.pop();
  if (parts[0]?.charCodeAt(0) === 0xfeff) parts[0] = parts[0].slice(1);
  return parts;
}

async function viaSplitter(chunks: Buffer[], maxLineBytes?: number): Promise<{ lines: string[]; numbers: number[] }> {
  const lines: string[] = [];
  const numbers: number[] = [];
  await forEachLine(
    (async function* () {
      yield* chunks;
    })(),
    (l, no) => {
      lines.push(l);
      numbers.push(no);
    },
    maxLineBytes === undefined ? {} : { maxLineBytes },
  );
  return { lines, numbers };
}

/** `buf` cut at the given (sorted, deduplicated) offsets, possibly inside a UTF-8 sequence */
function cut(buf: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((a) => a % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, buf.length]) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  return out;
}

const piece = fc.constantFrom('a', 'xyz', '{"k": 1}', '\n', '\r', '\r\n', '\n\n', 'é', '€', '😀', '\ufeff', ' ', '\u2028');

describe('forEachLine', () => {
  it('splits like readline (\\n, \\r\\n, lone \\r, BOM, no final newline), for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.array(fc.nat(400), { maxLength: 8 }), async (pieces, at) => {
        const text = pieces.join('');
        const { lines, numbers } = await viaSplitter(cut(Buffer.from(text), at));
        expect(lines).toEqual(jsonLines(text));
        if (!/[\u2028\u2029]/.test(text)) expect(lines).toEqual(await viaReadline(text));
        expect(numbers).toEqual(lines.map((_, i) => i + 1));
      }),
      { numRuns: 400 },
    );
  });

  it('U+2028 and U+2029 inside a line do not split it (JSON strings may hold them raw)', async () => {
    const line = '{"message": "a\u2028b\u2029c"}';
    expect((await viaSplitter([Buffer.from(`${line}\nnext\n`)])).lines).toEqual([line, 'next']);
  });

  it('a line of exactly maxLineBytes is read; one byte more is BAD_BUNDLE, within a chunk or across chunks', async () => {
    const max = 64;
    const ok = 'é'.repeat(32); // 64 bytes
    expect((await viaSplitter([Buffer.from(`${ok}\nb\n`)], max)).lines).toEqual([ok, 'b']);
    expect((await viaSplitter(cut(Buffer.from(`${ok}\r\nb`), [5, 40, 64]), max)).lines).toEqual([ok, 'b']);
    for (const chunks of [[Buffer.from(`a\n${ok}x\n`)], cut(Buffer.from(`a\n${ok}x\n`), [3, 30, 60]), [Buffer.from(`${ok}x`)]]) {
      const err = await viaSplitter(chunks, max).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DoctorError);
      expect((err as DoctorError).code).toBe('BAD_BUNDLE');
      expect((err as DoctorError).message).toBe('a file has a line over 64 bytes; raise DLT_DOCTOR_BUNDLE_MAX_LINE_BYTES');
    }
  });

  it('stops at a throw from onLine, and stops reading the source', async () => {
    let pulled = 0;
    const source = (async function* () {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield Buffer.from(`line ${i}\n`);
      }
    })();
    await expect(forEachLine(source, (_, no) => {
      if (no === 3) throw new Error('stop');
    })).rejects.toThrow('stop');
    expect(pulled).toBe(3);
  });
});
