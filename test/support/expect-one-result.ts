/**
 * The checks every rule's "invalid" case shares: exactly one result, a strength of at least 0.5
 * and at most 1, and data for every {{placeholder}} of its message. Returns the result for the
 * case's own assertions.
 */
import { expect } from 'vitest';
import type { Evidence } from '../../src/diagnosis/evidence.js';
import type { RuleResult } from '../../src/diagnosis/types.js';

interface RunnableRule<M extends string> {
  meta: { messages: Record<M, string> };
  run(evidence: Evidence): RuleResult<M>[];
}

export function expectOneResult<M extends string>(rule: RunnableRule<M>, evidence: Evidence): RuleResult<M> {
  const results = rule.run(evidence);
  expect(results).toHaveLength(1);
  const r = results[0]!;
  expect(r.strength).toBeGreaterThanOrEqual(0.5);
  expect(r.strength).toBeLessThanOrEqual(1);
  for (const [, name] of rule.meta.messages[r.messageId].matchAll(/{{(\w+)}}/g)) expect(r.data).toHaveProperty(name!);
  return r;
}
