/**
 * Where a Spark setting is set in a pipeline spec: the pipeline `configuration` map (applies to the
 * whole pipeline) and each cluster's `spark_conf`. The maintenance cluster does not run the update,
 * so it does not count towards the effective value.
 */
import type { PipelineSpec } from '../evidence.js';

export interface SparkSetting {
  /** the value the update runs with: configuration first, else the value every update cluster sets; null when unset */
  effective: string | null;
  /** every explicit occurrence, e.g. { where: 'configuration' } or { where: 'cluster:default' } */
  values: { where: string; value: string }[];
}

export function sparkSetting(spec: PipelineSpec, key: string): SparkSetting {
  const values: { where: string; value: string }[] = [];
  const fromConfiguration = spec.configuration[key];
  if (fromConfiguration !== undefined) values.push({ where: 'configuration', value: fromConfiguration.trim() });
  const updateClusters = spec.clusters.filter((c) => c.label !== 'maintenance');
  const clusterValues = updateClusters.map((c) => c.sparkConf[key]?.trim());
  spec.clusters.forEach((c) => {
    const v = c.sparkConf[key];
    if (v !== undefined) values.push({ where: `cluster:${c.label}`, value: v.trim() });
  });
  let effective: string | null = fromConfiguration?.trim() ?? null;
  if (effective === null && clusterValues.length > 0) {
    const first = clusterValues[0];
    if (first !== undefined && clusterValues.every((v) => v === first)) effective = first;
  }
  return { effective, values };
}
