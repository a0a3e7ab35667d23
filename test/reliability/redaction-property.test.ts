/**
 * Property: random secrets registered from the configuration never appear in any rendering of a
 * Reply carrying them — Slack blocks, the Teams card, CLI text and --json — not even in the forms
 * template escaping gives them (Markdown backslashes, `&amp;`): the Reply is redacted where
 * commands return it (commands/index.ts runParsed), before any template runs. And the negative:
 * ordinary text (pipeline names, numbers, update UUIDs, words like "Basic") is left alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import type { Reply } from '../../commands/types.js';
import { loadConfig } from '../../src/config.js';
import { DoctorError } from '../../src/errors.js';
import { REDACTED } from '../../src/log.js';
import { redactDeep, redactionSecretsOf, redactText, registerSecrets } from '../../src/redact.js';
import type { PipelineSummary, Source } from '../../src/source.js';
import { replyToJson } from '../../src/surfaces/cli/main.js';
import { toBlocks } from '../../templates/blocks/index.js';
import { toAdaptiveCard } from '../../templates/cards/index.js';
import { replyToText } from '../../templates/text.js';

const UPDATE_ID = '3f2c1a7e-1b2c-4d5e-8f90-1234567890ab';
const pipeline = (name: string): PipelineSummary => ({ id: '0a1b2c3d-4e5f-6789-abcd-ef0123456789', name, state: 'IDLE', health: 'HEALTHY', lastUpdate: { id: UPDATE_ID, state: 'COMPLETED', startedAt: Date.parse('2026-11-27T09:00:00Z'), durationS: 1234 }, baselineMedianS: 987 });

function sourceWith(list: () => Promise<PipelineSummary[]>): Source {
  return { kind: 'workspace', pipelineUrl: () => null, listPipelines: list, resolvePipeline: async (ref) => ({ id: ref, name: ref }), collect: async () => { throw new Error('not used'); } };
}

/** every string a rendering holds, as a reader would see it: escapes undone */
function readable(rendered: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v, v.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(rendered);
  return out;
}

const renderings = (reply: Reply): unknown[] => [
  toBlocks(reply),
  toAdaptiveCard(reply),
  replyToText(reply, { width: 100, color: false }),
  JSON.stringify(replyToJson(reply)),
  replyToJson(reply),
];

/** secrets with the characters templates escape (`_*~&<>`…) */
const secretArb = fc.string({ unit: fc.constantFrom(...'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789_*~&<>.-+/=!'.split('')), minLength: 12, maxLength: 40 });

describe('registered secrets never appear in a rendered Reply', () => {
  it('in pipeline names and error messages, through every template', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, secretArb, async (pat, webhook) => {
        const loaded = loadConfig({ DATABRICKS_HOST: 'adb-1.2.azuredatabricks.net', DATABRICKS_TOKEN: pat, DLT_DOCTOR_WEBHOOK_SECRET: webhook });
        if (!loaded.ok) throw new Error(loaded.errors.join('; '));
        registerSecrets(redactionSecretsOf(loaded.config));
        const ctx = { surface: 'slack' as const, now: () => new Date('2026-11-27T10:00:00Z') };
        const listed = await runCommandText('pipelines', { ...ctx, source: sourceWith(async () => [pipeline(`orders_${pat}`), pipeline('orders_silver')]) });
        const failed = await runCommandText('pipelines', {
          ...ctx,
          source: sourceWith(async () => {
            throw new DoctorError('SOURCE_UNAVAILABLE', `Databricks answered 400: echo ${pat} and ${webhook}`, { hint: `retry with ${webhook}` });
          }),
        });
        expect(listed.kind).toBe('pipelines');
        expect(failed.kind).toBe('error');
        for (const reply of [listed, failed])
          for (const text of renderings(reply).flatMap(readable)) {
            expect(text).not.toContain(pat);
            expect(text).not.toContain(webhook);
          }
        // what is not secret survives: the other pipeline, the ids, the numbers, what failed
        const all = renderings(listed).flatMap(readable).join('\n');
        expect(all).toContain('orders_silver');
        expect(all).toContain(REDACTED);
        expect(renderings(failed).flatMap(readable).join('\n')).toContain('Databricks answered 400: echo [REDACTED] and [REDACTED]');
      }),
      { numRuns: 40 },
    );
  });
});

describe('ordinary text is not redacted', () => {
  const ordinary = [
    'orders_silver', 'orders_silver_v2-eu', 'dapi', 'sales.bronze_2026',
    `update ${UPDATE_ID} took 1234 s (baseline 987 s, +25%)`,
    'Basic settings: 4 workers, i3.xlarge', 'Bearer of bad news', 'token budget: 3', 'eyJ alone is not a JWT',
    'Grant the bot\'s identity CAN_VIEW on the pipeline.', 'spark.sql.shuffle.partitions = 200', '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  ];
  it.each(ordinary)('%s', (text) => {
    expect(redactText(text)).toBe(text);
  });
  it('redactDeep returns the very object when nothing needed redacting, and never mutates', () => {
    const reply: Reply = { kind: 'pipelines', pipelines: [pipeline('orders_silver')], filter: null } as unknown as Reply;
    expect(redactDeep(reply)).toBe(reply);
    const secretReply = { kind: 'text', text: 'Authorization: Bearer dapi0123456789abcdef0123' } as const;
    const out = redactDeep(secretReply);
    expect(out.text).toBe('Authorization: Bearer [REDACTED]');
    expect(secretReply.text).toContain('dapi0123456789abcdef0123');
  });
});
