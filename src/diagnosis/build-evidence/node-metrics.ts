/** Rows of system.compute.node_timeline → NodeSample, kept to the update's cluster(s) and window. */
import type { NodeTimelineRow } from '../../databricks/schemas.js';
import type { NodeSample } from '../evidence.js';

export function nodeSample(r: NodeTimelineRow): NodeSample {
  return {
    t: r.start_time,
    clusterId: r.cluster_id,
    instanceId: r.instance_id ?? '',
    driver: r.driver ?? false,
    cpuUser: r.cpu_user_percent ?? 0,
    cpuSystem: r.cpu_system_percent ?? 0,
    cpuWait: r.cpu_wait_percent ?? 0,
    memUsed: r.mem_used_percent ?? 0,
    memSwap: r.mem_swap_percent ?? 0,
    netSent: r.network_sent_bytes ?? 0,
    netReceived: r.network_received_bytes ?? 0,
    nodeType: r.node_type ?? null,
  };
}

/** Rows of `clusterIds` (any cluster when empty) overlapping [from, to], as samples sorted by time; null when none. */
export function nodeMetricsFor(rows: NodeTimelineRow[], clusterIds: ReadonlySet<string>, from: number, to: number): NodeSample[] | null {
  const kept = rows.filter((r) => {
    if (clusterIds.size > 0 && !clusterIds.has(r.cluster_id)) return false;
    const end = r.end_time ?? r.start_time + 60_000;
    return r.start_time <= to && end >= from;
  });
  return kept.length > 0 ? kept.map(nodeSample).sort((a, b) => a.t - b.t) : null;
}
