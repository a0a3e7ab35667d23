/** Facts derived from a scenario definition: qualified names, cluster ids, worker counts, traits. */
import { NORMAL, type ScenarioDef, type Traits } from './model.js';
import { clamp } from './units.js';
import type { Rng } from './rng.js';

export function fq(def: ScenarioDef, table: string): string {
  return table.includes('.') || table.includes(':') ? table : `${def.catalog}.${def.schema}.${table}`;
}

export function clusterIdFor(rng: Rng, t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${rng.hex(8)}`;
}

export function maxWorkers(def: ScenarioDef): number {
  const c = def.cluster;
  return c?.autoscale?.max ?? c?.numWorkers ?? 0;
}

export function targetExecutors(def: ScenarioDef, traits: Traits): number {
  const c = def.cluster;
  if (!c) return 0;
  if (c.numWorkers !== undefined) return c.numWorkers;
  if (traits.executors !== null) return traits.executors;
  const a = c.autoscale;
  if (!a) return 0;
  return clamp(Math.round(a.max * 0.6), a.min, a.max - 1);
}

export function traitsFor(def: ScenarioDef, recent: boolean, latest: boolean): Traits {
  const { state: _state, ...latestTraits } = def.latest ?? {};
  return { ...NORMAL, ...def.base, ...(recent ? def.recent : {}), ...(latest ? latestTraits : {}) };
}
