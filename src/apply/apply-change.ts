/**
 * A recommendation's change applied to a pipeline spec, as a pure function: spec × change → new spec
 * plus the exact settings diff (key, before → after) the confirmation shows. Nothing here talks to
 * Databricks; the caller does the read-modify-write PUT (src/apply/apply-service.ts).
 *
 * Supported:
 * - target `pipeline`: photon, serverless, continuous, development (booleans), channel, edition
 * - target `cluster` (every update cluster: label default/updates or none): autoscale.max_workers,
 *   autoscale.min_workers, autoscale.mode, num_workers, node_type_id, driver_node_type_id, instance_pool_id
 * - target `spark_conf`: any `spark.*` key — in the pipeline `configuration` when it is set there
 *   (that value is the one in effect), else in the update clusters' spark_conf
 * Refused: table properties and code changes (not pipeline settings), placeholder values like
 * `<instance-pool-id>`, serverless pipelines for cluster changes, and invalid results (min > max).
 * https://docs.databricks.com/api/workspace/pipelines/update (the PUT replaces the whole spec)
 */
import type { Change } from '../diagnosis/types.js';
import { plural } from '../util/plural.js';

export type Spec = Record<string, unknown>;

export interface SettingChange {
  key: string;
  before: string | null;
  after: string | null;
}

export type ApplyResult = { ok: true; spec: Spec; diff: SettingChange[] } | { ok: false; reason: string };

const PIPELINE_BOOLEANS = new Set(['photon', 'serverless', 'continuous', 'development']);
const PIPELINE_ENUMS: Record<string, readonly string[]> = { channel: ['CURRENT', 'PREVIEW'], edition: ['CORE', 'PRO', 'ADVANCED'] };
const CLUSTER_KEYS = new Set(['autoscale.max_workers', 'autoscale.min_workers', 'autoscale.mode', 'num_workers', 'node_type_id', 'driver_node_type_id', 'instance_pool_id']);
const UPDATE_LABELS = new Set(['default', 'updates']);
const MAX_WORKERS = 1000;

/** Values the recommendation catalog leaves for a person to fill in. */
const isPlaceholder = (v: string) => /^<.*>$/.test(v.trim()) || v.trim() === '';

/** Whether `change` is something apply can write (the Apply button only shows for these). */
export function isAppliable(change: Change | null | undefined): boolean {
  if (!change || isPlaceholder(change.value)) return false;
  switch (change.target) {
    case 'pipeline':
      return PIPELINE_BOOLEANS.has(change.key) || change.key in PIPELINE_ENUMS;
    case 'cluster':
      return CLUSTER_KEYS.has(change.key);
    case 'spark_conf':
      return /^spark\.[A-Za-z0-9_.-]+$/.test(change.key);
    default:
      return false;
  }
}

const show = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));

function parseBool(v: string): boolean | null {
  const s = v.trim().toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : null;
}

function parseCount(v: string, min: number): number | null {
  if (!/^\d+$/.test(v.trim())) return null;
  const n = Number(v.trim());
  return n >= min && n <= MAX_WORKERS ? n : null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function clusterLabel(c: Record<string, unknown>): string {
  return typeof c.label === 'string' ? c.label : 'default';
}

/** Applies `change` to a deep copy of `spec`. Never mutates its input. */
export function applyChange(spec: Spec, change: Change): ApplyResult {
  if (!isAppliable(change)) {
    if (change.target === 'table_property' || change.target === 'code') return { ok: false, reason: `A ${change.target === 'code' ? 'code' : 'table property'} change is not a pipeline setting; make it in the pipeline's source.` };
    if (isPlaceholder(change.value)) return { ok: false, reason: `${change.key} needs a real value instead of ${change.value}.` };
    return { ok: false, reason: `${change.target} setting ${change.key} is not one apply can change.` };
  }
  const next = structuredClone(spec);
  const diff: SettingChange[] = [];

  if (change.target === 'pipeline') {
    const before = next[change.key];
    let value: unknown;
    if (PIPELINE_BOOLEANS.has(change.key)) {
      const b = parseBool(change.value);
      if (b === null) return { ok: false, reason: `${change.key} takes true or false, not "${change.value}".` };
      value = b;
    } else {
      const allowed = PIPELINE_ENUMS[change.key]!;
      const v = change.value.trim().toUpperCase();
      if (!allowed.includes(v)) return { ok: false, reason: `${change.key} must be one of ${allowed.join(', ')}.` };
      value = v;
    }
    if (before === value) return { ok: false, reason: `${change.key} is already ${String(value)}.` };
    next[change.key] = value;
    diff.push({ key: change.key, before: show(before), after: show(value) });
    if (change.key === 'serverless' && value === true && Array.isArray(next.clusters) && next.clusters.length) {
      // serverless pipelines run on Databricks-managed compute: cluster settings no longer apply
      diff.push({ key: 'clusters', before: plural(next.clusters.length, 'cluster setting'), after: null });
      delete next.clusters;
    }
    return { ok: true, spec: next, diff };
  }

  if (next.serverless === true) return { ok: false, reason: 'The pipeline is serverless: it has no cluster settings or Spark confs to change.' };

  // A Spark setting in the pipeline `configuration` wins over the clusters' spark_conf (the rules
  // read it "configuration first"): edit it where it is in effect, or the change changes nothing.
  if (change.target === 'spark_conf' && isObj(next.configuration) && change.key in next.configuration) {
    const before = next.configuration[change.key];
    if (show(before) === change.value) return { ok: false, reason: `${change.key} is already ${change.value} (pipeline configuration).` };
    next.configuration = { ...next.configuration, [change.key]: change.value };
    diff.push({ key: `configuration.${change.key}`, before: show(before), after: change.value });
    return { ok: true, spec: next, diff };
  }
  const clusters = Array.isArray(next.clusters) ? (next.clusters as unknown[]).filter(isObj) : [];
  let targets = clusters.filter((c) => UPDATE_LABELS.has(clusterLabel(c)));
  if (targets.length === 0) {
    const created: Record<string, unknown> = { label: 'default' };
    next.clusters = [...clusters, created];
    targets = [created];
  }

  for (const c of targets) {
    const prefix = `clusters[${clusterLabel(c)}]`;
    if (change.target === 'spark_conf') {
      const conf = isObj(c.spark_conf) ? c.spark_conf : {};
      const before = conf[change.key];
      if (show(before) === change.value) continue;
      c.spark_conf = { ...conf, [change.key]: change.value };
      diff.push({ key: `${prefix}.spark_conf.${change.key}`, before: show(before), after: change.value });
      continue;
    }
    const r = applyClusterKey(c, change, prefix);
    if (!r.ok) return r;
    diff.push(...r.diff);
  }
  if (diff.length === 0) return { ok: false, reason: `${change.key} is already ${change.value}.` };
  return { ok: true, spec: next, diff };
}

function applyClusterKey(c: Record<string, unknown>, change: Change, prefix: string): { ok: true; diff: SettingChange[] } | { ok: false; reason: string } {
  const diff: SettingChange[] = [];
  const set = (key: string, value: unknown, label = key) => {
    const before = c[key];
    if (show(before) === show(value)) return;
    if (value === undefined) delete c[key];
    else c[key] = value;
    diff.push({ key: `${prefix}.${label}`, before: show(before), after: show(value) });
  };
  const value = change.value.trim();

  switch (change.key) {
    case 'autoscale.max_workers':
    case 'autoscale.min_workers': {
      const n = parseCount(value, change.key === 'autoscale.max_workers' ? 1 : 0);
      if (n === null) return { ok: false, reason: `${change.key} takes a whole number of workers (${change.key === 'autoscale.max_workers' ? 1 : 0}–${MAX_WORKERS}), not "${change.value}".` };
      const before = isObj(c.autoscale) ? { ...c.autoscale } : null;
      const fixed = typeof c.num_workers === 'number' ? c.num_workers : null;
      const next: Record<string, unknown> = before ? { ...before } : { min_workers: Math.max(1, Math.min(fixed ?? 1, n)), max_workers: Math.max(fixed ?? 1, n), mode: 'ENHANCED' };
      if (change.key === 'autoscale.max_workers') next.max_workers = n;
      else next.min_workers = n;
      const min = Number(next.min_workers ?? 1);
      const max = Number(next.max_workers ?? min);
      if (min > max) return { ok: false, reason: `That would make autoscale.min_workers (${min}) larger than autoscale.max_workers (${max}).` };
      for (const k of ['min_workers', 'max_workers', 'mode'] as const) {
        const b = before?.[k];
        if (show(b) !== show(next[k])) diff.push({ key: `${prefix}.autoscale.${k}`, before: show(b), after: show(next[k]) });
      }
      c.autoscale = next;
      if (fixed !== null) set('num_workers', undefined);
      return { ok: true, diff };
    }
    case 'autoscale.mode': {
      const mode = value.toUpperCase();
      if (mode !== 'ENHANCED' && mode !== 'LEGACY') return { ok: false, reason: 'autoscale.mode must be ENHANCED or LEGACY.' };
      if (!isObj(c.autoscale)) return { ok: false, reason: 'This cluster has a fixed size (no autoscale block); set autoscale.max_workers first.' };
      const before = c.autoscale.mode;
      if (before !== mode) {
        c.autoscale = { ...c.autoscale, mode };
        diff.push({ key: `${prefix}.autoscale.mode`, before: show(before), after: mode });
      }
      return { ok: true, diff };
    }
    case 'num_workers': {
      const n = parseCount(value, 0);
      if (n === null) return { ok: false, reason: `num_workers takes a whole number (0–${MAX_WORKERS}), not "${change.value}".` };
      if (isObj(c.autoscale)) {
        // an autoscaling cluster: the recommendation's worker count becomes its ceiling
        const min = Number(c.autoscale.min_workers ?? 1);
        if (n < Math.max(1, min)) return { ok: false, reason: `That would make autoscale.max_workers (${n}) smaller than autoscale.min_workers (${min}).` };
        const before = c.autoscale.max_workers;
        if (before !== n) {
          c.autoscale = { ...c.autoscale, max_workers: n };
          diff.push({ key: `${prefix}.autoscale.max_workers`, before: show(before), after: String(n) });
        }
        return { ok: true, diff };
      }
      set('num_workers', n);
      return { ok: true, diff };
    }
    case 'node_type_id':
    case 'driver_node_type_id': {
      if (!/^[A-Za-z0-9_.-]+$/.test(value)) return { ok: false, reason: `"${change.value}" is not a node type id.` };
      if (typeof c.instance_pool_id === 'string') return { ok: false, reason: 'This cluster takes its nodes from an instance pool; change the pool instead.' };
      set(change.key, value);
      return { ok: true, diff };
    }
    case 'instance_pool_id': {
      if (!/^[A-Za-z0-9_-]+$/.test(value)) return { ok: false, reason: `"${change.value}" is not an instance pool id.` };
      set('instance_pool_id', value);
      // node types come from the pool: a cluster may not name both
      set('node_type_id', undefined);
      set('driver_node_type_id', undefined);
      return { ok: true, diff };
    }
    default:
      return { ok: false, reason: `cluster setting ${change.key} is not one apply can change.` };
  }
}
