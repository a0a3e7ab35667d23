/**
 * Digest scope: which pipelines a subscription (or `cost`) covers.
 * - a name glob: `orders_*`, `*_silver`, `iot_?ngest` (case-insensitive; `*` any run, `?` one character);
 * - a tag: `tag:team=finance` (pipeline `tags`; the value may be a glob too, `tag:team=fin*`).
 */
import type { PipelineInfo } from '../diagnosis/evidence.js';

export type PipelineFilter =
  | { kind: 'name'; pattern: string; text: string }
  | { kind: 'tag'; key: string; pattern: string; text: string };

export type FilterParse = { ok: true; filter: PipelineFilter } | { ok: false; message: string };

export const FILTER_EXAMPLES = ['orders_*', 'tag:team=finance'] as const;

const NAME_GLOB = /^[A-Za-z0-9_.*?-]{1,200}$/;
const TAG_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;
const TAG_VALUE = /^[^\s,]{1,256}$/;

export function parseFilter(text: string): FilterParse {
  const t = text.trim();
  if (t.startsWith('tag:')) {
    const body = t.slice(4);
    const eq = body.indexOf('=');
    const key = eq === -1 ? body : body.slice(0, eq);
    const value = eq === -1 ? '' : body.slice(eq + 1);
    if (eq === -1 || !TAG_KEY.test(key) || !TAG_VALUE.test(value)) {
      return { ok: false, message: `"${t}" is not a tag filter: use tag:<key>=<value>, e.g. tag:team=finance.` };
    }
    return { ok: true, filter: { kind: 'tag', key, pattern: value, text: t } };
  }
  if (!NAME_GLOB.test(t)) {
    return { ok: false, message: `"${t}" is not a name pattern: letters, digits, _ . - and the wildcards * and ?, e.g. orders_*.` };
  }
  return { ok: true, filter: { kind: 'name', pattern: t, text: t } };
}

/** `*` → any run, `?` → one character; everything else literal; whole string, case-insensitive. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'i');
}

export function matchesFilter(filter: PipelineFilter | null, pipeline: Pick<PipelineInfo, 'name' | 'spec'>): boolean {
  if (filter === null) return true;
  const re = globToRegExp(filter.pattern);
  if (filter.kind === 'name') return re.test(pipeline.name);
  const value = pipeline.spec.tags[filter.key];
  return value !== undefined && re.test(value);
}

export function filterPipelines<P extends Pick<PipelineInfo, 'name' | 'spec'>>(filter: PipelineFilter | null, pipelines: readonly P[]): P[] {
  return pipelines.filter((p) => matchesFilter(filter, p));
}

/**
 * The `pipelines [filter]` match, with the same glob rules as the digest's filter (issue 17 item 8):
 * a filter with `*` or `?` is a name glob (`*_silver`), anything else a piece of the name or the
 * pipeline's id; case-insensitive.
 */
export function listFilterMatches(filter: string | undefined, p: { id: string; name: string }): boolean {
  const f = filter?.trim().toLowerCase();
  if (!f) return true;
  if (/[*?]/.test(f)) return globToRegExp(f).test(p.name);
  return p.name.toLowerCase().includes(f) || p.id.toLowerCase() === f;
}
