/**
 * Node types (src/diagnosis/fixes/instances.ts): the per-cloud family table, and suggestions checked
 * against the node types the workspace offers (GET /api/2.1/clusters/list-node-types).
 */
import { describe, expect, it } from 'vitest';
import type { RawNodeType } from '../../../src/databricks/schemas.js';
import { nodeTypeOffers } from '../../../src/diagnosis/build-evidence/node-types.js';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { FIXES } from '../../../src/diagnosis/fixes/compute.js';
import { CANDIDATES, chooseNodeType, parseNodeType } from '../../../src/diagnosis/fixes/instances.js';
import { fakeCluster, fakeEvidence } from '../../support/fake-evidence.js';

const node = (node_type_id: string, o: Partial<RawNodeType> = {}): RawNodeType => ({ node_type_id, category: null, is_deprecated: false, ...o });
const offering = (raws: RawNodeType[], o: NonNullable<Parameters<typeof fakeEvidence>[0]> = {}, nodeTypeId = 'i3.2xlarge'): Evidence => ({
  ...fakeEvidence({ spec: { clusters: [fakeCluster({ nodeTypeId, driverNodeTypeId: nodeTypeId })] }, ...o }),
  nodeTypes: nodeTypeOffers(raws),
});
const build = (id: string, evidence: Evidence, params: Record<string, string> = {}) => FIXES.find((f) => f.id === id)!.build(evidence, params);

describe('parseNodeType: families per cloud', () => {
  it.each([
    // AWS: NVMe `d` variants and i-family have local SSD; d/h families are HDD
    ['i3.2xlarge', { cloud: 'aws', family: 'storage', vcpus: 8, localSsd: true }],
    ['i4i.4xlarge', { cloud: 'aws', family: 'storage', vcpus: 16, localSsd: true }],
    ['i3en.2xlarge', { cloud: 'aws', family: 'storage', vcpus: 8, localSsd: true }],
    ['r6id.4xlarge', { cloud: 'aws', family: 'memory', vcpus: 16, localSsd: true }],
    ['c5d.4xlarge', { cloud: 'aws', family: 'compute', vcpus: 16, localSsd: true }],
    ['m6gd.2xlarge', { cloud: 'aws', family: 'general', vcpus: 8, localSsd: true }],
    ['c5n.4xlarge', { cloud: 'aws', family: 'compute', vcpus: 16, localSsd: false }],
    ['d3.2xlarge', { cloud: 'aws', family: 'storage', vcpus: 8, localSsd: false }],
    ['h1.4xlarge', { cloud: 'aws', family: 'storage', vcpus: 16, localSsd: false }],
    ['z1d.2xlarge', { cloud: 'aws', family: 'memory', vcpus: 8, localSsd: true }],
    // Azure: L-series and `d` variants have local SSD; DSv2 numbers are not vCPUs; constrained sizes
    ['Standard_L8s_v3', { cloud: 'azure', family: 'storage', vcpus: 8, localSsd: true }],
    ['Standard_D8ds_v5', { cloud: 'azure', family: 'general', vcpus: 8, localSsd: true }],
    ['Standard_DS3_v2', { cloud: 'azure', family: 'general', vcpus: 4, localSsd: false }],
    ['Standard_DS12_v2', { cloud: 'azure', family: 'memory', vcpus: 4, localSsd: false }],
    ['Standard_D14_v2', { cloud: 'azure', family: 'memory', vcpus: 16, localSsd: false }],
    ['Standard_E16-4ds_v5', { cloud: 'azure', family: 'memory', vcpus: 4, localSsd: true }],
    ['Standard_F16s', { cloud: 'azure', family: 'compute', vcpus: 16, localSsd: false }],
    // GCP: compute-optimized series, memory series, local SSD only on -lssd / Z3
    ['n2-highmem-8', { cloud: 'gcp', family: 'memory', vcpus: 8, localSsd: false }],
    ['n2d-standard-16', { cloud: 'gcp', family: 'general', vcpus: 16, localSsd: false }],
    ['c2-standard-16', { cloud: 'gcp', family: 'compute', vcpus: 16, localSsd: false }],
    ['c3-standard-8-lssd', { cloud: 'gcp', family: 'compute', vcpus: 8, localSsd: true }],
    ['m1-ultramem-40', { cloud: 'gcp', family: 'memory', vcpus: 40, localSsd: false }],
    ['z3-highmem-88', { cloud: 'gcp', family: 'storage', vcpus: 88, localSsd: true }],
  ] as const)('%s', (name, expected) => {
    expect(parseNodeType(name)).toEqual(expected);
  });

  it('every candidate of the §3.1 table parses to its family and the pick\'s size', () => {
    for (const [pick, t] of Object.entries(CANDIDATES)) {
      for (const cloud of ['aws', 'azure'] as const) {
        const size = parseNodeType(t[cloud][0]!)!.vcpus;
        for (const c of t[cloud]) expect(parseNodeType(c), `${pick} ${c}`).toMatchObject({ cloud, family: t.family, vcpus: size });
      }
    }
  });
});

describe('chooseNodeType: a suggestion the workspace offers', () => {
  const plain = fakeEvidence();

  it('without the workspace list: the guide pick, unchecked', () => {
    expect(chooseNodeType(plain, 'memory', 'aws', false)).toEqual({ kind: 'pick', nodeType: 'r5.4xlarge', guidePick: 'r5.4xlarge', note: null });
    // an empty list says nothing either
    expect(chooseNodeType({ ...plain, nodeTypes: [] }, 'memory', 'aws', false)).toMatchObject({ nodeType: 'r5.4xlarge', note: null });
  });

  it('the guide pick when offered', () => {
    expect(chooseNodeType(offering([node('r5.4xlarge'), node('r6i.4xlarge')]), 'memory', 'aws', false)).toMatchObject({ kind: 'pick', nodeType: 'r5.4xlarge', note: null });
  });

  it.each([
    ['not listed', [node('r6i.4xlarge')], /r5\.4xlarge \(§3\.1\) is not offered/],
    ['deprecated', [node('r5.4xlarge', { is_deprecated: true }), node('r6i.4xlarge')], /is deprecated/],
    ['not available in the region', [node('r5.4xlarge', { node_info: { status: ['NotAvailableInRegion'] } }), node('r6i.4xlarge')], /is NotAvailableInRegion/],
    ['hidden', [node('r5.4xlarge', { is_hidden: true }), node('r6i.4xlarge')], /is hidden/],
  ])('falls back to the next candidate when the guide pick is %s', (_why, raws, note) => {
    const c = chooseNodeType(offering(raws), 'memory', 'aws', false);
    expect(c).toMatchObject({ kind: 'pick', nodeType: 'r6i.4xlarge', guidePick: 'r5.4xlarge' });
    expect(c.kind === 'pick' && c.note).toMatch(note);
  });

  it('skips a candidate that is deprecated too, and one that cannot run Photon on a Photon pipeline', () => {
    const raws = [node('r6i.4xlarge', { is_deprecated: true }), node('r5d.4xlarge', { photon_worker_capable: false }), node('r6id.4xlarge')];
    expect(chooseNodeType(offering(raws), 'memory', 'aws', false)).toMatchObject({ nodeType: 'r6id.4xlarge' });
    // without Photon the Photon flag does not matter
    expect(chooseNodeType(offering(raws, { spec: { photon: false, clusters: [fakeCluster()] } }), 'memory', 'aws', false)).toMatchObject({ nodeType: 'r5d.4xlarge' });
    // the driver reads photon_driver_capable
    expect(chooseNodeType(offering([node('r5.4xlarge', { photon_driver_capable: false }), node('r6i.4xlarge')]), 'memory', 'aws', true)).toMatchObject({ nodeType: 'r6i.4xlarge' });
  });

  it('with no candidate offered: the smallest offered type of the family with enough cores (GPU and other families left out)', () => {
    const raws = [
      node('r7i.2xlarge', { num_cores: 8, memory_mb: 65536, category: 'Memory Optimized' }),
      node('r7i.8xlarge', { num_cores: 32, memory_mb: 262144, category: 'Memory Optimized' }),
      node('r7i.4xlarge', { num_cores: 16, memory_mb: 131072, category: 'Memory Optimized' }),
      node('m7i.4xlarge', { num_cores: 16, memory_mb: 65536, category: 'General Purpose' }),
      node('x2iedn.4xlarge', { num_cores: 16, memory_mb: 524288, category: 'Memory Optimized', is_deprecated: true }),
    ];
    const c = chooseNodeType(offering(raws), 'memory', 'aws', false);
    expect(c).toMatchObject({ kind: 'pick', nodeType: 'r7i.4xlarge' });
    expect(c.kind === 'pick' && c.note).toMatch(/smallest memory-optimized type it offers with at least 16 cores/);
  });

  it('storage needs local SSD in the fallback', () => {
    const raws = [node('d3.4xlarge', { num_cores: 16, category: 'Storage Optimized' }), node('i4i.8xlarge', { num_cores: 32, category: 'Storage Optimized', node_instance_type: { local_nvme_disks: 2 } })];
    expect(chooseNodeType(offering(raws), 'storage', 'aws', false)).toMatchObject({ nodeType: 'i4i.8xlarge' });
  });

  it('withheld with a reason when nothing of the family fits', () => {
    const c = chooseNodeType(offering([node('m5.xlarge'), node('c5.4xlarge'), node('r5.2xlarge', { num_cores: 8 })]), 'memory', 'aws', false);
    expect(c.kind).toBe('withheld');
    expect(c.kind === 'withheld' && c.reason).toMatch(/offers none of r5\.4xlarge, r6i\.4xlarge/);
  });

  it('Azure candidates', () => {
    const raws = [node('Standard_E16s_v5', { is_deprecated: true }), node('Standard_E16ds_v5')];
    expect(chooseNodeType(offering(raws, {}, 'Standard_DS3_v2'), 'memory', 'azure', false)).toMatchObject({ nodeType: 'Standard_E16ds_v5' });
  });
});

describe('the instance fixes name only offered node types', () => {
  it('memory-optimized-instances falls back to the next offered type, and says why', () => {
    const p = build('memory-optimized-instances', offering([node('r5.4xlarge', { is_deprecated: true }), node('r6i.4xlarge')]))!;
    expect(p.change).toEqual({ target: 'cluster', key: 'node_type_id', value: 'r6i.4xlarge' });
    expect(p.why).toMatch(/r5\.4xlarge \(§3\.1\) is deprecated in this workspace.*r6i\.4xlarge is the next memory-optimized type/);
  });

  it('larger-driver checks the driver against the list too', () => {
    const p = build('larger-driver', offering([node('r6i.4xlarge')]))!;
    expect(p.change).toEqual({ target: 'cluster', key: 'driver_node_type_id', value: 'r6i.4xlarge' });
  });

  it('withheld: no node type named, the reason in the why, lower impact', () => {
    const offered = build('compute-optimized-instances', offering([node('m5.xlarge'), node('i3.2xlarge')]))!;
    const unchecked = build('compute-optimized-instances', fakeEvidence())!;
    expect(offered.change).toBeNull();
    expect(offered.title).toBe('Use compute-optimized workers (none offered here)');
    expect(offered.why).toMatch(/offers none of c5\.4xlarge/);
    expect(offered.impact).toBeLessThan(unchecked.impact);
  });

  it('a cluster already on an offered type of the family at that size needs nothing', () => {
    expect(build('memory-optimized-instances', offering([node('r6i.4xlarge')], {}, 'r6i.4xlarge'))).toBeNull();
  });

  it('enable-io-cache believes the workspace\'s is_io_cache_enabled over the name', () => {
    // m5.2xlarge has no local disk by its name; the workspace says otherwise → the cache is on by default
    expect(build('enable-io-cache', offering([node('m5.2xlarge', { is_io_cache_enabled: true })], {}, 'm5.2xlarge'))).toBeNull();
    // and an i3 the workspace says has no disk cache gets the setting
    expect(build('enable-io-cache', offering([node('i3.2xlarge', { is_io_cache_enabled: false })]))!.change).toEqual({ target: 'spark_conf', key: 'spark.databricks.io.cache.enabled', value: 'true' });
  });
});
