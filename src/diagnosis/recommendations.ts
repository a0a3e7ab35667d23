/**
 * Findings → ranked recommendations, built by the fix catalog (src/diagnosis/fixes/) from the
 * fix requests the rules made. Pure.
 *
 * - one recommendation per fix id: the request of the strongest finding wins;
 * - a builder returning null (already in place, or invalid for this pipeline) drops it;
 * - two changes to the same setting never both appear (the higher impact one stays);
 * - ordered by impact (the fix's own impact × the weight of the finding that asked for it), with the
 *   first recommendation of the verdict's category moved to the front (CONTRACT.md §2).
 */
import { classify, findingScore } from './classify.js';
import type { Bottleneck, Evidence } from './evidence.js';
import { FIXES_BY_ID } from './fixes/index.js';
import type { FixDefinition, Finding, FixRequest, Recommendation } from './types.js';

interface Candidate {
  request: FixRequest;
  weight: number;
  order: number;
}

function changeKey(r: Recommendation): string | null {
  return r.change ? `${r.change.target}\u0000${r.change.key}` : null;
}

export function buildRecommendations(
  findings: Finding[],
  evidence: Evidence,
  verdict: Bottleneck = classify(findings, evidence).bottleneck,
  catalog: ReadonlyMap<string, FixDefinition> = FIXES_BY_ID,
): Recommendation[] {
  // strongest request per fix id
  const best = new Map<string, Candidate>();
  let order = 0;
  for (const f of findings) {
    // a context finding that still asks for a fix gets a modest weight
    const weight = Math.max(findingScore(f), 0.05);
    for (const request of f.fixes) {
      const prev = best.get(request.id);
      if (!prev || weight > prev.weight) best.set(request.id, { request, weight, order: prev?.order ?? order++ });
    }
  }

  const built: (Recommendation & { order: number })[] = [];
  for (const [id, c] of best) {
    const def = catalog.get(id);
    if (!def) continue; // unknown id: the catalog test catches typos; never crash a diagnosis
    let proposal;
    try {
      proposal = def.build(evidence, c.request.params ?? {});
    } catch {
      continue;
    }
    if (!proposal) continue;
    built.push({
      id,
      category: def.category,
      title: proposal.title ?? def.title,
      why: proposal.why,
      guide_section: def.guideSection,
      change: proposal.change,
      expected_effect: proposal.expected_effect,
      risk: proposal.risk,
      impact: Math.round(Math.min(1, Math.max(0, proposal.impact)) * (0.5 + 0.5 * c.weight) * 1000) / 1000,
      order: c.order,
    });
  }

  built.sort((a, b) => b.impact - a.impact || a.order - b.order || a.id.localeCompare(b.id));

  // never two different values for the same setting
  const seen = new Set<string>();
  const unique = built.filter((r) => {
    const key = changeKey(r);
    if (key === null) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  if (verdict !== 'none') {
    const i = unique.findIndex((r) => r.category === verdict);
    if (i > 0) unique.unshift(...unique.splice(i, 1));
  }
  return unique.map(({ order: _order, ...r }) => r);
}
