/**
 * Small stand-in rules and fixes for engine tests: the engine is tested against its contracts,
 * not against the real catalog (which has its own tests).
 */
import { z } from 'zod';
import type { Bottleneck, Category } from '../../src/diagnosis/evidence.js';
import type { AnyRule } from '../../src/diagnosis/rules/index.js';
import type { Finding, FixDefinition, FixProposal, RuleMeta, Severity } from '../../src/diagnosis/types.js';
import { defineRule } from '../../src/diagnosis/types.js';

export function standInRule(o: {
  id: string;
  category: Bottleneck;
  severity?: Severity;
  requires?: RuleMeta<unknown, string>['requires'];
  fire?: boolean | ((e: import('../../src/diagnosis/evidence.js').Evidence) => boolean);
  strength?: number;
  resultSeverity?: Severity;
  fixes?: { id: string; params?: Record<string, string | number | boolean> }[];
  throws?: boolean;
}): AnyRule {
  return defineRule<{ limit: number }, 'hit'>({
    meta: {
      id: o.id,
      category: o.category,
      severity: o.severity ?? 'warning',
      description: `stand-in ${o.id}`,
      guideSection: '2.2',
      requires: o.requires ?? [],
      options: z.object({ limit: z.number() }),
      defaults: { limit: 85 },
      messages: { hit: 'Workers averaged {{cpu}}% CPU (limit {{limit}})' },
    },
    check(evidence, opts) {
      if (o.throws) throw new Error('boom');
      const fire = typeof o.fire === 'function' ? o.fire(evidence) : (o.fire ?? true);
      if (!fire) return [];
      return [
        {
          messageId: 'hit',
          data: { cpu: 93.27, limit: opts.limit },
          ...(o.resultSeverity ? { severity: o.resultSeverity } : {}),
          strength: o.strength ?? 0.8,
          evidence: [{ metric: 'cpu mean', value: 93, unit: '%', threshold: opts.limit, source: 'system.compute.node_timeline' }],
          fixes: o.fixes ?? [],
        },
      ];
    },
  }) as unknown as AnyRule;
}

export function finding(o: Partial<Finding> & { category: Bottleneck }): Finding {
  return {
    rule: `${o.category}-rule`,
    severity: 'warning',
    title: 'Something measured',
    strength: 0.8,
    evidence: [],
    fixes: [],
    ...o,
  };
}

export function standInFix(
  id: string,
  category: Category,
  proposal: Partial<FixProposal> | null | ((params: Record<string, string | number | boolean>) => FixProposal | null),
): FixDefinition {
  return {
    id,
    category,
    title: `Fix ${id}`,
    guideSection: '3.3',
    build(_e, params) {
      if (typeof proposal === 'function') return proposal(params);
      if (proposal === null) return null;
      return { why: `because ${id}`, change: null, expected_effect: 'faster', risk: 'low', impact: 0.5, ...proposal };
    },
  };
}
