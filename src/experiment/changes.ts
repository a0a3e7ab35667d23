/**
 * What variant B of an A/B test changes: a recommendation of the pipeline's diagnosis (by id, its
 * `change`, exactly as one-click apply writes it) or settings typed as key=value. A key names its
 * target the way apply-change.ts does: the pipeline settings (photon, serverless, channel, edition,
 * development), the update clusters (num_workers, autoscale.max_workers, node_type_id, …) or a
 * Spark conf (spark.*). `continuous` is refused: the clones always run triggered.
 */
import type { Change } from '../diagnosis/types.js';
import { badUsage } from '../errors.js';
import { echo } from '../util/echo.js';

const PIPELINE_KEYS = new Set(['photon', 'serverless', 'development', 'channel', 'edition']);
const CLUSTER_KEYS = new Set(['autoscale.max_workers', 'autoscale.min_workers', 'autoscale.mode', 'num_workers', 'node_type_id', 'driver_node_type_id', 'instance_pool_id']);

export const isSettingToken = (t: string) => /^[A-Za-z][\w.-]*=/.test(t);

export function parseSetting(token: string): Change {
  const i = token.indexOf('=');
  const key = token.slice(0, i).trim();
  const value = token.slice(i + 1).trim();
  if (!value) throw badUsage(`${echo(key, 60)}= needs a value, e.g. ${echo(key, 60)}=true.`);
  if (key === 'continuous') throw badUsage('An A/B test always runs its clones triggered; `continuous` cannot be the change tested.');
  if (PIPELINE_KEYS.has(key)) return { target: 'pipeline', key, value };
  if (CLUSTER_KEYS.has(key)) return { target: 'cluster', key, value };
  if (/^spark\.[A-Za-z0-9_.-]+$/.test(key)) return { target: 'spark_conf', key, value };
  throw badUsage(`"${echo(key, 60)}" is not a setting an A/B test can change.`, 'Use a recommendation id from `why-slow` (e.g. enable-photon), or photon=, num_workers=, autoscale.max_workers=, node_type_id=, channel= or a spark.* conf.');
}
