/**
 * What a diagnosis could not read, in words, for every renderer (issue 17 item 9): a serverless
 * pipeline has no cluster_resources events and no node metrics by design (Databricks manages its
 * compute; docs.databricks.com/aws/en/ldp/serverless), so those are "not available on serverless",
 * not missing; anything else names what was not read.
 */
import type { Diagnosis } from '../src/diagnosis/types.js';

const WORDS: Record<string, string> = {
  node_metrics: 'node metrics (system.compute.node_timeline)',
  event_details: 'event details (REST events only)',
  cluster_resources: 'cluster_resources events',
  history: 'earlier updates',
  cost: 'cost (system.billing)',
  flow_definitions: 'flow definitions',
  updates_api: 'the update list (REST)',
};
const BY_DESIGN_ON_SERVERLESS = new Set(['node_metrics', 'cluster_resources']);

/** e.g. ["Not read: cost (system.billing)", "Not available on serverless: node metrics (…), cluster_resources events"] */
export function gapLines(d: Pick<Diagnosis, 'gaps' | 'pipeline'>): string[] {
  const serverless = d.pipeline.serverless === true;
  const byDesign = d.gaps.filter((g) => serverless && BY_DESIGN_ON_SERVERLESS.has(g));
  const missing = d.gaps.filter((g) => !byDesign.includes(g));
  const words = (gs: string[]) => gs.map((g) => WORDS[g] ?? g.replace(/_/g, ' ')).join(', ');
  return [...(missing.length ? [`Not read: ${words(missing)}`] : []), ...(byDesign.length ? [`Not available on serverless: ${words(byDesign)}`] : [])];
}
