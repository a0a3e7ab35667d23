/**
 * Splits a byte stream into lines the way node:readline does with `crlfDelay: Infinity` (`\n`,
 * `\r\n` and a lone `\r` end a line; a last line without a terminator counts; a UTF-8 byte-order
 * mark at the start is dropped), but on Buffers and with a cap on the line length: a line longer
 * than `maxLineBytes` is refused before any string of it is built (readline builds it, and past
 * V8's string limit of ~512 MiB that throws from inside the stream, uncaught).
 *
 * `\n` and `\r` never occur inside a multi-byte UTF-8 sequence, so decoding each line on its own
 * gives the same text as decoding the stream first.
 */
import { DEFAULT_BUNDLE_LIMITS, lineTooLong } from './limits.js';

const LF = 0x0a;
const CR = 0x0d;

export interface LineOptions {
  /** a longer line → BAD_BUNDLE (limit maxLineBytes); default DEFAULT_BUNDLE_LIMITS.maxLineBytes */
  maxLineBytes?: number;
  /** the file, for the error message */
  file?: string;
}

/**
 * Calls `onLine` for each line of `input` with its 1-based number. A throw from `onLine` stops
 * the read (the source is destroyed) and is rethrown. Exported so the benchmark measures its
 * baseline with the very same reader.
 */
export async function forEachLine(
  input: AsyncIterable<Buffer | string>,
  onLine: (line: string, lineNo: number) => void,
  options: LineOptions = {},
): Promise<void> {
  const max = options.maxLineBytes ?? DEFAULT_BUNDLE_LIMITS.maxLineBytes;
  const tooLong = () => lineTooLong(options.file ?? 'a file', max);
  /** pieces of the line that started in an earlier chunk */
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  /** the previous chunk ended in `\r`: a `\n` first in this one belongs to that line break */
  let afterCR = false;
  let n = 0;

  const emit = (chunk: Buffer, start: number, end: number) => {
    let line: string;
    if (pendingBytes === 0) line = chunk.toString('utf8', start, end);
    else {
      if (pendingBytes + (end - start) > max) throw tooLong();
      pending.push(chunk.subarray(start, end));
      line = Buffer.concat(pending, pendingBytes + (end - start)).toString('utf8');
      pending = [];
      pendingBytes = 0;
    }
    n++;
    onLine(n === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, n);
  };

  for await (const c of input) {
    const chunk = typeof c === 'string' ? Buffer.from(c) : c;
    let pos = 0;
    if (afterCR) {
      afterCR = false;
      if (chunk.length > 0 && chunk[0] === LF) pos = 1;
    }
    let nextCR = chunk.indexOf(CR, pos);
    while (pos < chunk.length) {
      const lf = chunk.indexOf(LF, pos);
      if (nextCR !== -1 && nextCR < pos) nextCR = chunk.indexOf(CR, pos);
      let end: number;
      let next: number;
      if (nextCR !== -1 && (lf === -1 || nextCR < lf)) {
        end = nextCR;
        if (nextCR + 1 < chunk.length) next = chunk[nextCR + 1] === LF ? nextCR + 2 : nextCR + 1;
        else {
          next = chunk.length;
          afterCR = true;
        }
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else {
        // no terminator in the rest of this chunk: keep it for the next one
        const rest = chunk.length - pos;
        if (pendingBytes + rest > max) throw tooLong();
        pending.push(chunk.subarray(pos));
        pendingBytes += rest;
        break;
      }
      if (pendingBytes === 0 && end - pos > max) throw tooLong();
      emit(chunk, pos, end);
      pos = next;
    }
  }
  if (pendingBytes > 0) {
    const last = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    emit(last, 0, last.length);
  }
}
