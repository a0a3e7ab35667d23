/**
 * The tuning guide's formulas, implemented exactly.
 * §3.2 calculate_cluster_size; §7.2 optimal_partitions; §12.2 right-sizing savings.
 *
 * Note: the guide's example comment for §3.2 ("500 GB × 1.5 → min=5, max=20, recommended=10,
 * memory=67GB per worker") does not match its own formula: int(500/75*1.5) = 10 workers and
 * max(32, min(128, 500/10*2)) = 100 GB per worker. We implement the formula (100 GB); see docs/sizing.md.
 */

export interface ClusterSize {
  min_workers: number;
  max_workers: number;
  recommended_workers: number;
  memory_per_worker_gb: number;
  instance_recommendation: string;
}

/** §3.1: instance families by memory need (AWS / Azure names as the guide gives them). */
export function instanceForMemory(memoryPerWorkerGb: number): string {
  if (memoryPerWorkerGb > 64) return 'r5.4xlarge / Standard_E16s_v5 (memory-intensive)';
  return 'i3.2xlarge / Standard_L8s_v2 (general ETL)';
}

/** §3.2 calculate_cluster_size(data_volume_gb, complexity_factor=1.0). Python int() truncates toward zero. */
export function calculateClusterSize(dataVolumeGb: number, complexityFactor = 1.0): ClusterSize {
  const baseWorkers = Math.max(2, Math.trunc((dataVolumeGb / 75) * complexityFactor));
  const memoryPerWorkerGb = Math.max(32, Math.min(128, (dataVolumeGb / baseWorkers) * 2));
  return {
    min_workers: Math.max(2, Math.floor(baseWorkers / 2)),
    max_workers: baseWorkers * 2,
    recommended_workers: baseWorkers,
    memory_per_worker_gb: Math.round(memoryPerWorkerGb * 100) / 100,
    instance_recommendation: instanceForMemory(memoryPerWorkerGb),
  };
}

/** §7.2 optimal_partitions(data_size_gb, target_partition_size_mb=256). */
export function optimalPartitions(dataSizeGb: number, targetPartitionSizeMb = 256): number {
  const targetSizeGb = targetPartitionSizeMb / 1024;
  return Math.max(1, Math.trunc(dataSizeGb / targetSizeGb));
}

/** §12.2: right-size when cpu_avg < 50; estimated savings int((1 - cpu_avg/70) * 100) percent. */
export function rightSizingSavingsPercent(cpuAvgPercent: number): number {
  return Math.trunc((1 - cpuAvgPercent / 70) * 100);
}

/** §1.2: 70–85% is the optimal utilization band. */
export const UTILIZATION_TARGET = { low: 70, high: 85 } as const;
