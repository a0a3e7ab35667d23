/**
 * Keeps every `stride`-th point, doubling the stride (and halving what it holds) when full, plus
 * the earliest and the latest point by time. Result ≤ `max` points, sorted by time.
 */
export class Downsampler<T extends { t: number }> {
  private items: T[] = [];
  private stride = 1;
  private seen = 0;
  private first: T | null = null;
  private last: T | null = null;
  private readonly cap: number;

  constructor(max: number) {
    this.cap = Math.max(2, max - 2);
  }

  get size(): number {
    return this.seen;
  }

  push(x: T): void {
    if (this.first === null || x.t < this.first.t) this.first = x;
    if (this.last === null || x.t >= this.last.t) this.last = x;
    if (this.seen++ % this.stride === 0) {
      this.items.push(x);
      if (this.items.length >= this.cap) {
        this.items = this.items.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    }
  }

  values(): T[] {
    const out = this.items.slice();
    if (this.first && !out.includes(this.first)) out.push(this.first);
    if (this.last && !out.includes(this.last)) out.push(this.last);
    return out.sort((a, b) => a.t - b.t);
  }
}
