/**
 * An ExperimentRequest as a chat button carries it back (Slack's Start `value`, Teams' Action.Submit
 * `data.request`): outside input, whoever can post to the bot can send any payload, so it is read
 * with one schema on every surface. Bounded, no control characters in what is echoed or looked up,
 * only the change targets an A/B test can produce (src/experiment/changes.ts).
 */
import { z } from 'zod';
import { MAX_ITERATIONS, type ExperimentRequest } from './service.js';

const printable = (max: number) => z.string().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]+$/);

export const experimentRequestSchema = z.strictObject({
  kind: z.enum(['benchmark', 'ab-test']),
  // the plan carries the pipeline id; a name is accepted too
  pipeline: printable(200),
  iterations: z.number().int().min(1).max(MAX_ITERATIONS),
  maxDollars: z.number().positive().max(1_000_000).nullable(),
  recommendationId: z.string().min(1).max(100).regex(/^[\w.:-]+$/).nullish(),
  settings: z
    .array(z.strictObject({ target: z.enum(['pipeline', 'cluster', 'spark_conf']), key: z.string().min(1).max(200).regex(/^[A-Za-z][\w.-]*$/), value: printable(500) }))
    .min(1)
    .max(20)
    .optional(),
}) satisfies z.ZodType<ExperimentRequest>;

/** an experiment id: randomBytes(3) as hex (service.ts) */
export const experimentIdSchema = z.string().regex(/^[0-9a-f]{6}$/);
