/**
 * GET /api/2.1/clusters/list-node-types `node_types[]` (validated at the edge: NodeTypeSchema) →
 * the NodeTypeOffer list the instance fixes check their suggestions against.
 */
import type { RawNodeType } from '../../databricks/schemas.js';
import type { NodeTypeOffer } from '../evidence.js';

const n = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const b = (v: boolean | null | undefined): boolean | null => (typeof v === 'boolean' ? v : null);

export function nodeTypeOffers(raw: readonly RawNodeType[]): NodeTypeOffer[] {
  const seen = new Set<string>();
  const out: NodeTypeOffer[] = [];
  for (const r of raw) {
    if (seen.has(r.node_type_id)) continue;
    seen.add(r.node_type_id);
    out.push({
      nodeTypeId: r.node_type_id,
      memoryMb: n(r.memory_mb),
      numCores: n(r.num_cores),
      category: r.category ?? null,
      deprecated: r.is_deprecated === true,
      hidden: r.is_hidden === true,
      unavailable: [...(r.node_info?.status ?? [])],
      ioCacheEnabled: b(r.is_io_cache_enabled),
      localNvmeDisks: n(r.node_instance_type?.local_nvme_disks),
      numGpus: n(r.num_gpus),
      photonWorkerCapable: b(r.photon_worker_capable),
      photonDriverCapable: b(r.photon_driver_capable),
    });
  }
  return out;
}
