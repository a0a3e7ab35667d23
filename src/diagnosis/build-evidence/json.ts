/** Small readers over unknown JSON (event `details` and other loosely typed payload parts). */

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  if (typeof v === 'bigint') return Number(v);
  return null;
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
}

/** 0..1; some older payloads report percents */
export function fraction(v: unknown): number | null {
  const n = num(v);
  return n === null ? null : n > 1 ? n / 100 : n;
}
