/** A Spark size setting as bytes: "104857600", "100MB", "100m", "10g", "8GiB"; null when unparseable. */
export function parseBytes(v: string | null): number | null {
  if (v === null) return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(v);
  if (!m) return null;
  const exp = { '': 0, k: 1, m: 2, g: 3, t: 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Number(m[1]) * 1024 ** exp;
}
