import { z } from 'zod';
import type { FlowInfo } from '../evidence.js';
import { defineRule } from '../types.js';
import { parseBytes } from './parse-bytes.js';
import { rule as shuffleHeavy } from './shuffle-heavy.js';
import { sparkSetting } from './spark-setting.js';

const options = z.object({
  /** physical-plan operators of a shuffle join (Photon plans show ShuffledHashJoin rather than SortMergeJoin) */
  joinOperators: z.array(z.string().min(1)).min(1),
  /** regular expressions (case-insensitive) for a dimension table's name, matched against the last name part */
  dimensionPatterns: z.array(z.string().min(1)).min(1),
  /** spark.sql.autoBroadcastJoinThreshold below this (bytes) leaves small tables shuffled (§6.2: 100 MB) */
  minThresholdBytes: z.number().positive(),
});
type Options = z.infer<typeof options>;

/** Spark's default spark.sql.autoBroadcastJoinThreshold: 10 MB. */
const SPARK_DEFAULT_THRESHOLD = 10 * 1024 * 1024;

function dimensionInput(flow: FlowInfo, patterns: RegExp[]): string | null {
  const names = [...flow.inputDatasets];
  // Plans name the tables they scan too (e.g. "Scan ... main.sales.dim_products"); keep only identifier-like words.
  for (const m of flow.explainText?.matchAll(/[A-Za-z_][\w.`]*/g) ?? []) names.push(m[0]);
  for (const full of names) {
    const last = full.replaceAll('`', '').split('.').pop() ?? '';
    if (patterns.some((p) => p.test(last))) return full.replaceAll('`', '');
  }
  return null;
}

export const rule = defineRule<Options, 'shuffledDimension'>({
  meta: {
    id: 'broadcast-join-candidate',
    category: 'network',
    severity: 'info',
    description: "A flow joins a dimension table with a shuffle join while the broadcast threshold is at Spark's 10 MB default (or lower): the guide broadcasts small dimension tables instead.",
    guideSection: '6.2',
    requires: ['flows', 'spec'],
    options,
    defaults: {
      joinOperators: ['SortMergeJoin', 'ShuffledHashJoin'],
      dimensionPatterns: ['^dim_', '_dim$', 'dimension'],
      minThresholdBytes: 104_857_600,
    },
    messages: {
      shuffledDimension: 'Flow {{flow}} joins {{table}} with a {{operator}}; spark.sql.autoBroadcastJoinThreshold is {{threshold}}',
    },
  },
  check(evidence, o) {
    const setting = sparkSetting(evidence.pipeline.spec, 'spark.sql.autoBroadcastJoinThreshold').effective;
    const bytes = setting === null ? SPARK_DEFAULT_THRESHOLD : parseBytes(setting);
    if (bytes !== null && bytes >= o.minThresholdBytes) return [];
    const patterns = o.dimensionPatterns.map((p) => new RegExp(p, 'i'));
    for (const flow of evidence.flows) {
      if (!flow.explainText) continue;
      const operator = o.joinOperators.find((op) => flow.explainText!.includes(op));
      if (operator === undefined) continue;
      const table = dimensionInput(flow, patterns);
      if (table === null) continue;
      // Measured shuffle pressure makes the join a likely cause, not just a missed optimization.
      const shuffleBound = shuffleHeavy.run(evidence).length > 0;
      const shown = setting === null ? 'unset (10 MB default)' : setting;
      return [
        {
          messageId: 'shuffledDimension',
          data: { flow: flow.name, table, operator, threshold: shown },
          severity: shuffleBound ? 'warning' : 'info',
          strength: shuffleBound ? 0.7 : 0.5,
          evidence: [
            { metric: `${flow.name} join operator`, value: operator, unit: '', threshold: null, source: 'event_log:flow_definition' },
            { metric: 'dimension input', value: table, unit: '', threshold: null, source: 'event_log:flow_definition' },
            { metric: 'spark.sql.autoBroadcastJoinThreshold', value: bytes ?? shown, unit: 'bytes', threshold: o.minThresholdBytes, source: 'pipeline.spec' },
          ],
          fixes: [{ id: 'broadcast-threshold', params: { flow: flow.name, table } }],
        },
      ];
    }
    return [];
  },
});
