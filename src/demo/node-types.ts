/**
 * The demo workspace's answer to GET /api/2.1/clusters/list-node-types: an AWS workspace (its host is
 * *.cloud.databricks.com and every demo cluster runs i3 / m5d nodes), listing the current families the
 * guide's §3.1 table and its equivalents name, some older generations marked deprecated, and one type
 * the region does not offer — so a suggested node type can be checked against what is really there.
 * Shape: NodeType of databricks-sdk-py service/compute.py (node_type_id, memory_mb, num_cores,
 * description, instance_type_id, category, is_deprecated, is_hidden, is_io_cache_enabled,
 * photon_*_capable, node_info.status, node_instance_type). Cores and memory are the EC2 figures
 * (vCPUs; GiB × 1024).
 */

type Category = 'General Purpose' | 'Memory Optimized' | 'Compute Optimized' | 'Storage Optimized';

interface Row {
  id: string;
  cores: number;
  gib: number;
  category: Category;
  /** local NVMe disks × size (GB), for the disk cache */
  nvme?: [number, number];
  deprecated?: boolean;
  graviton?: boolean;
  /** CloudProviderNodeStatus values */
  status?: ('NotAvailableInRegion' | 'NotEnabledOnSubscription')[];
}

const ROWS: Row[] = [
  // general purpose
  { id: 'm5.large', cores: 2, gib: 8, category: 'General Purpose' },
  { id: 'm5.xlarge', cores: 4, gib: 16, category: 'General Purpose' },
  { id: 'm5.2xlarge', cores: 8, gib: 32, category: 'General Purpose' },
  { id: 'm5.4xlarge', cores: 16, gib: 64, category: 'General Purpose' },
  { id: 'm5d.large', cores: 2, gib: 8, category: 'General Purpose', nvme: [1, 75] },
  { id: 'm5d.xlarge', cores: 4, gib: 16, category: 'General Purpose', nvme: [1, 150] },
  { id: 'm5d.2xlarge', cores: 8, gib: 32, category: 'General Purpose', nvme: [1, 300] },
  { id: 'm5d.4xlarge', cores: 16, gib: 64, category: 'General Purpose', nvme: [2, 300] },
  { id: 'm6gd.2xlarge', cores: 8, gib: 32, category: 'General Purpose', nvme: [1, 474], graviton: true },
  { id: 'm4.2xlarge', cores: 8, gib: 32, category: 'General Purpose', deprecated: true },
  // memory optimized
  { id: 'r5.2xlarge', cores: 8, gib: 64, category: 'Memory Optimized' },
  { id: 'r5.4xlarge', cores: 16, gib: 128, category: 'Memory Optimized' },
  { id: 'r5.8xlarge', cores: 32, gib: 256, category: 'Memory Optimized' },
  { id: 'r5d.4xlarge', cores: 16, gib: 128, category: 'Memory Optimized', nvme: [2, 300] },
  { id: 'r6i.4xlarge', cores: 16, gib: 128, category: 'Memory Optimized' },
  { id: 'r6id.4xlarge', cores: 16, gib: 128, category: 'Memory Optimized', nvme: [1, 950], status: ['NotAvailableInRegion'] },
  { id: 'r4.4xlarge', cores: 16, gib: 122, category: 'Memory Optimized', deprecated: true },
  // compute optimized
  { id: 'c5.2xlarge', cores: 8, gib: 16, category: 'Compute Optimized' },
  { id: 'c5.4xlarge', cores: 16, gib: 32, category: 'Compute Optimized' },
  { id: 'c5.9xlarge', cores: 36, gib: 72, category: 'Compute Optimized' },
  { id: 'c5d.4xlarge', cores: 16, gib: 32, category: 'Compute Optimized', nvme: [1, 400] },
  { id: 'c6i.4xlarge', cores: 16, gib: 32, category: 'Compute Optimized' },
  { id: 'c4.4xlarge', cores: 16, gib: 30, category: 'Compute Optimized', deprecated: true },
  // storage optimized
  { id: 'i3.xlarge', cores: 4, gib: 30.5, category: 'Storage Optimized', nvme: [1, 950] },
  { id: 'i3.2xlarge', cores: 8, gib: 61, category: 'Storage Optimized', nvme: [1, 1900] },
  { id: 'i3.4xlarge', cores: 16, gib: 122, category: 'Storage Optimized', nvme: [2, 1900] },
  { id: 'i3.8xlarge', cores: 32, gib: 244, category: 'Storage Optimized', nvme: [4, 1900] },
  { id: 'i4i.2xlarge', cores: 8, gib: 64, category: 'Storage Optimized', nvme: [1, 1875] },
  { id: 'i4i.4xlarge', cores: 16, gib: 128, category: 'Storage Optimized', nvme: [1, 3750] },
  { id: 'i2.2xlarge', cores: 8, gib: 61, category: 'Storage Optimized', deprecated: true }, // SATA SSD, no NVMe
];

/** `node_types[]` of the demo workspace, in Databricks' own shape. */
export function demoNodeTypes(): Record<string, unknown>[] {
  const order = new Map<Category, number>();
  return ROWS.map((r) => {
    const displayOrder = order.get(r.category) ?? 0;
    order.set(r.category, displayOrder + 1);
    return {
      node_type_id: r.id,
      memory_mb: Math.round(r.gib * 1024),
      num_cores: r.cores,
      description: r.id,
      instance_type_id: r.id,
      category: r.category,
      display_order: displayOrder,
      is_deprecated: r.deprecated === true,
      is_hidden: false,
      is_io_cache_enabled: r.nvme !== undefined,
      is_graviton: r.graviton === true,
      num_gpus: 0,
      photon_worker_capable: true,
      photon_driver_capable: true,
      support_ebs_volumes: true,
      support_cluster_tags: true,
      support_port_forwarding: true,
      ...(r.status ? { node_info: { status: r.status } } : {}),
      node_instance_type: {
        instance_type_id: r.id,
        ...(r.nvme ? { local_disks: r.nvme[0], local_disk_size_gb: r.nvme[1], local_nvme_disks: r.nvme[0], local_nvme_disk_size_gb: r.nvme[1] } : { local_disks: 0 }),
      },
    };
  });
}
