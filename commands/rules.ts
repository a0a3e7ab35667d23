import { z } from 'zod';
import { RULE_LIST } from '../src/diagnosis/rules/index.js';
import type { Command, RuleSummary } from './types.js';

export interface RulesArgs {
  filter: string | null;
}

export const args = z
  .strictObject({ _: z.array(z.string()).max(1, 'give at most one filter (rule id or category)') })
  .transform((v): RulesArgs => ({ filter: v._[0]?.toLowerCase() || null }));

export function ruleSummaries(filter: string | null = null): RuleSummary[] {
  return RULE_LIST.filter((r) => filter === null || r.meta.id.includes(filter) || r.meta.category === filter).map((r) => ({
    id: r.meta.id,
    category: r.meta.category,
    severity: r.meta.severity,
    description: r.meta.description,
    guideSection: r.meta.guideSection,
    requires: [...r.meta.requires],
    defaults: { ...(r.meta.defaults as Record<string, unknown>) },
  }));
}

export const rules: Command<RulesArgs> = {
  meta: {
    name: 'rules',
    summary: 'The checks behind a diagnosis: id, category, severity, guide section, default thresholds.',
    usage: 'rules [id-or-category]',
    examples: ['rules', 'rules cpu'],
  },
  args,
  async run(a) {
    return { kind: 'rules', rules: ruleSummaries(a.filter) };
  },
};
