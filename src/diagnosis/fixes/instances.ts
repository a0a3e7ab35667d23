/**
 * Node types: what a name says (cloud, family, vCPUs, local SSD), the guide's §3.1 picks with their
 * same-size equivalents per cloud, and the choice of the one to suggest — checked, when the
 * workspace answered GET /api/2.1/clusters/list-node-types (Evidence.nodeTypes), against what it
 * offers: never a type it does not list, a deprecated one, one the cloud provider reports as not
 * available (node_info.status NotAvailableInRegion / NotEnabledOnSubscription), a hidden one, or one
 * that cannot run Photon on a Photon pipeline.
 *
 * Families per cloud (names: AWS EC2 instance types, Azure VM sizes, GCP machine families):
 * - AWS: c compute; r, x, z, u memory; i storage (NVMe); d, h dense HDD storage; m, t general;
 *   a `d` in the suffix is local NVMe (m5d, r5d, c5d, r6id, m6gd, x2idn, z1d).
 * - Azure: F compute; E, M memory; L storage (NVMe); D, B general; a `d` in the suffix is a local
 *   temp SSD (E16ds_v5, D8ds_v5); Dv2/DSv2 sizes 11–15 are memory-optimized (DS12_v2), 1–5 general,
 *   and their number is not the vCPU count; a constrained size E16-4ds_v5 has 4 vCPUs.
 * - GCP: c2, c2d, c3, c3d, c4, c4a, c4d, h3 compute; m1–m4 and highmem/ultramem/megamem memory;
 *   z3 storage; `-lssd` types come with local SSD (others get it per cluster, so false).
 * Without the workspace's list a suggestion is the guide's pick, as before.
 */
import type { Evidence, NodeTypeOffer } from '../evidence.js';

export type Cloud = 'aws' | 'azure' | 'gcp';
export type Family = 'compute' | 'memory' | 'storage' | 'general' | 'other';

export interface NodeType {
  cloud: Cloud;
  family: Family;
  /** vCPUs, comparable within a cloud; null when the name does not say */
  vcpus: number | null;
  /** local NVMe/SSD (see the family notes above) */
  localSsd: boolean;
}

export const FAMILY_WORDS: Record<Family, string> = { compute: 'compute-optimized', memory: 'memory-optimized', storage: 'storage-optimized', general: 'general-purpose', other: 'other' };

const AWS_FAMILY: Record<string, Family> = { c: 'compute', r: 'memory', x: 'memory', z: 'memory', u: 'memory', i: 'storage', d: 'storage', h: 'storage', m: 'general', t: 'general' };
/** AWS families whose local disks are HDD (d2, d3, d3en, h1): storage-optimized but no SSD for the disk cache */
const AWS_HDD = new Set(['d', 'h']);
const AZURE_FAMILY: Record<string, Family> = { F: 'compute', E: 'memory', M: 'memory', L: 'storage', D: 'general', B: 'general' };
const DV2_GENERAL = [1, 2, 4, 8, 16]; // D1_v2 … D5_v2
const DV2_MEMORY = [2, 4, 8, 16, 20]; // D11_v2 … D15_v2
const GCP_COMPUTE = new Set(['c2', 'c2d', 'c3', 'c3d', 'c4', 'c4a', 'c4d', 'h3']);
const GCP_MEMORY = /^m\d$/;
const GCP_STORAGE = new Set(['z3']);

/** Cloud, family and size from a node type name: i3.2xlarge / Standard_L8s_v2 / n2-highmem-8. */
export function parseNodeType(name: string): NodeType | null {
  const aws = /^([a-z])[a-z]*\d+([a-z-]*)\.(\d*)(xlarge|large|medium|small|metal)$/.exec(name);
  if (aws) {
    const [, letter, suffix, n, unit] = aws;
    const mult = unit === 'xlarge' ? (n ? Number(n) : 1) : unit === 'large' ? 0.5 : unit === 'medium' ? 0.25 : unit === 'small' ? 0.125 : null;
    const family = AWS_FAMILY[letter!] ?? 'other';
    const ssd = AWS_HDD.has(letter!) ? false : family === 'storage' || suffix!.includes('d');
    return { cloud: 'aws', family, vcpus: mult === null ? null : mult * 4, localSsd: ssd };
  }
  const dv2 = /^Standard_DS?(\d+)_v2(?:_Promo)?$/i.exec(name);
  if (dv2) {
    const n = Number(dv2[1]);
    if (n >= 1 && n <= 5) return { cloud: 'azure', family: 'general', vcpus: DV2_GENERAL[n - 1]!, localSsd: false };
    if (n >= 11 && n <= 15) return { cloud: 'azure', family: 'memory', vcpus: DV2_MEMORY[n - 11]!, localSsd: false };
  }
  const azure = /^Standard_([A-Z])[A-Z]*(\d+)(?:-(\d+))?([a-z]*)/i.exec(name);
  if (azure) {
    const [, letter, n, constrained, suffix] = azure;
    const family = AZURE_FAMILY[letter!.toUpperCase()] ?? 'other';
    return { cloud: 'azure', family, vcpus: Number(constrained ?? n), localSsd: family === 'storage' || suffix!.toLowerCase().includes('d') };
  }
  const gcp = /^([a-z]\d[a-z]?)-(standard|highmem|highcpu|ultramem|megamem|hypermem)-(\d+)(-lssd)?$/.exec(name);
  if (gcp) {
    const [, series, kind, n, lssd] = gcp;
    const family: Family = GCP_COMPUTE.has(series!)
      ? 'compute'
      : GCP_STORAGE.has(series!)
        ? 'storage'
        : GCP_MEMORY.test(series!) || kind === 'highmem' || kind === 'ultramem' || kind === 'megamem' || kind === 'hypermem'
          ? 'memory'
          : kind === 'highcpu'
            ? 'compute'
            : 'general';
    return { cloud: 'gcp', family, vcpus: Number(n), localSsd: lssd !== undefined || family === 'storage' };
  }
  return null;
}

export type Pick = 'compute' | 'memory' | 'storage' | 'storageLarge';

/**
 * §3.1's instance table (first of each list) and, after it, the same-size types of the same family
 * to fall back to, newest generation first. GCP has no row in the guide.
 */
export const CANDIDATES: Readonly<Record<Pick, { family: Family; aws: readonly string[]; azure: readonly string[] }>> = {
  compute: { family: 'compute', aws: ['c5.4xlarge', 'c6i.4xlarge', 'c5d.4xlarge', 'c6id.4xlarge', 'c5a.4xlarge'], azure: ['Standard_F16s_v2', 'Standard_F16s'] },
  memory: { family: 'memory', aws: ['r5.4xlarge', 'r6i.4xlarge', 'r5d.4xlarge', 'r6id.4xlarge', 'r5a.4xlarge'], azure: ['Standard_E16s_v5', 'Standard_E16ds_v5', 'Standard_E16s_v4', 'Standard_E16ds_v4', 'Standard_E16as_v5'] },
  storage: { family: 'storage', aws: ['i3.2xlarge', 'i4i.2xlarge', 'i3en.2xlarge'], azure: ['Standard_L8s_v2', 'Standard_L8s_v3', 'Standard_L8as_v3'] },
  storageLarge: { family: 'storage', aws: ['i3.4xlarge', 'i4i.4xlarge'], azure: ['Standard_L16s_v2', 'Standard_L16s_v3', 'Standard_L16as_v3'] },
};

export type Choice =
  /** `note` says why the guide's pick was passed over (null when it is the pick, or nothing was checked) */
  | { kind: 'pick'; nodeType: string; guidePick: string; note: string | null }
  | { kind: 'withheld'; guidePick: string; reason: string };

/** Why the workspace cannot take `offer` for this role, or null when it can. */
function unusable(offer: NodeTypeOffer | undefined, photon: boolean, driver: boolean): string | null {
  if (!offer) return 'not listed';
  if (offer.deprecated) return 'deprecated';
  if (offer.unavailable.length > 0) return offer.unavailable.join(', ');
  if (offer.hidden) return 'hidden';
  if (photon && (driver ? offer.photonDriverCapable : offer.photonWorkerCapable) === false) return 'not Photon-capable';
  return null;
}

function familyOf(offer: NodeTypeOffer): Family | null {
  const parsed = parseNodeType(offer.nodeTypeId);
  if (parsed && parsed.family !== 'other') return parsed.family;
  const c = (offer.category ?? '').toLowerCase();
  if (c.includes('memory optimized')) return 'memory';
  if (c.includes('compute optimized')) return 'compute';
  if (c.includes('storage optimized')) return 'storage';
  if (c.includes('general purpose')) return 'general';
  return parsed?.family ?? null;
}

function hasLocalSsd(offer: NodeTypeOffer): boolean {
  return (offer.localNvmeDisks ?? 0) > 0 || offer.ioCacheEnabled === true || parseNodeType(offer.nodeTypeId)?.localSsd === true;
}

/** Whether the node type runs the disk cache by default: the workspace's is_io_cache_enabled when it lists it, else the name. */
export function localSsdOf(evidence: Evidence, nodeTypeId: string): boolean {
  const offer = evidence.nodeTypes?.find((o) => o.nodeTypeId === nodeTypeId);
  if (offer && offer.ioCacheEnabled !== null) return offer.ioCacheEnabled;
  return parseNodeType(nodeTypeId)?.localSsd ?? false;
}

/**
 * The node type to suggest for `pick` on `cloud`: the guide's, else the next candidate the workspace
 * offers, else the smallest offered type of the family with at least the pick's cores (local SSD for
 * storage), else withheld with the reason. Without the workspace's list: the guide's pick.
 */
export function chooseNodeType(evidence: Evidence, pick: Pick, cloud: 'aws' | 'azure', driver: boolean): Choice {
  const table = CANDIDATES[pick];
  const candidates = table[cloud];
  const guidePick = candidates[0]!;
  const offers = evidence.nodeTypes;
  if (!offers || offers.length === 0) return { kind: 'pick', nodeType: guidePick, guidePick, note: null };
  const photon = evidence.pipeline.spec.photon;
  const byId = new Map(offers.map((o) => [o.nodeTypeId, o]));
  const guideWhy = unusable(byId.get(guidePick), photon, driver);
  if (guideWhy === null) return { kind: 'pick', nodeType: guidePick, guidePick, note: null };
  const source = 'GET /api/2.1/clusters/list-node-types';
  const passed = `${guidePick} (§3.1) is ${guideWhy === 'not listed' ? 'not offered' : guideWhy} in this workspace (${source})`;
  for (const c of candidates.slice(1)) {
    if (unusable(byId.get(c), photon, driver) === null) return { kind: 'pick', nodeType: c, guidePick, note: `${passed}; ${c} is the next ${FAMILY_WORDS[table.family]} type of that size it offers.` };
  }
  const minCores = parseNodeType(guidePick)?.vcpus ?? 0;
  const cores = (o: NodeTypeOffer) => o.numCores ?? parseNodeType(o.nodeTypeId)?.vcpus ?? 0;
  const fallback = offers
    .filter((o) => unusable(o, photon, driver) === null)
    .filter((o) => (parseNodeType(o.nodeTypeId)?.cloud ?? cloud) === cloud)
    .filter((o) => familyOf(o) === table.family && (o.numGpus ?? 0) === 0 && cores(o) >= minCores)
    .filter((o) => table.family !== 'storage' || hasLocalSsd(o))
    .sort((a, b) => cores(a) - cores(b) || (b.memoryMb ?? 0) - (a.memoryMb ?? 0) || a.nodeTypeId.localeCompare(b.nodeTypeId))[0];
  const tried = candidates.join(', ');
  if (fallback) {
    return {
      kind: 'pick',
      nodeType: fallback.nodeTypeId,
      guidePick,
      note: `${passed}, and so are ${candidates.length > 2 ? 'its equivalents' : 'its equivalent'} (${candidates.slice(1).join(', ')}); ${fallback.nodeTypeId} is the smallest ${FAMILY_WORDS[table.family]} type it offers with at least ${minCores} cores${table.family === 'storage' ? ' and local SSD' : ''}.`,
    };
  }
  return {
    kind: 'withheld',
    guidePick,
    reason: `This workspace offers none of ${tried} (§3.1 and same-size equivalents) nor another ${FAMILY_WORDS[table.family]} type with at least ${minCores} cores${table.family === 'storage' ? ' and local SSD' : ''} (${source}; deprecated, unavailable and hidden types left out), so no node type is named: ask the workspace admin which ${FAMILY_WORDS[table.family]} types can be enabled.`,
  };
}
