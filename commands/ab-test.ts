/**
 * `ab-test <pipeline> <recommendation-id | key=value …> [--iterations N] [--max-dollars X]` (guide
 * §10.3): two clones, A with the pipeline's settings and B with the change (made by the same
 * applyChange as one-click apply), benchmarked interleaved A1 B1 A2 B2 …; the result compares
 * throughput, duration and cost per million records, tests the difference against the run-to-run
 * spread, and recommends apply, don't or inconclusive. `ab-test cancel <pipeline>` stops it.
 */
import { z } from 'zod';
import type { Command, Reply } from './types.js';
import { experimentFlags, failWith, parseIterations, parseMaxDollars, runExperimentArgs, subcommandArgs, type ExperimentArgs } from './experiment.js';
import { isSettingToken, parseSetting } from '../src/experiment/changes.js';
import { DoctorError } from '../src/errors.js';

export type AbTestArgs = ExperimentArgs;

export const args = z
  .strictObject({ _: z.array(z.string().min(1)), ...experimentFlags })
  .transform((v, ctx): AbTestArgs => {
    const fail = failWith(ctx);
    const sub = subcommandArgs('ab-test', v._, fail);
    if (sub) return sub;
    const [pipeline, ...change] = v._;
    if (!pipeline || change.length === 0) return fail('give the pipeline and the change, e.g. ab-test orders_silver enable-photon (or photon=true)');
    const iterations = parseIterations(v.iterations, fail);
    const maxDollars = parseMaxDollars(v['max-dollars'], fail);
    const settings = change.filter(isSettingToken);
    if (settings.length && settings.length !== change.length) return fail('give either one recommendation id or key=value settings, not both');
    if (!settings.length && change.length > 1) return fail('give one recommendation id (or key=value settings)');
    let parsed;
    try {
      parsed = settings.map(parseSetting);
    } catch (err) {
      return fail(err instanceof DoctorError ? err.message : String(err));
    }
    return { action: 'run', request: { kind: 'ab-test', pipeline, iterations, maxDollars, ...(settings.length ? { settings: parsed } : { recommendationId: change[0]! }) } };
  });

export const abTest: Command<AbTestArgs> = {
  meta: {
    name: 'ab-test',
    summary: 'A/B-test a fix on two clones before paying for it: throughput, duration, cost per million records, significance (guide §10.3).',
    usage: 'ab-test <pipeline> <recommendation-id | key=value …> [--iterations N] [--max-dollars X] | ab-test cancel <pipeline> | ab-test list',
    examples: ['ab-test orders_silver enable-photon --iterations 3', 'ab-test events_bronze autoscale.max_workers=16', 'ab-test cancel orders_silver'],
  },
  args,
  run(a, ctx): Promise<Reply> {
    return runExperimentArgs(a, ctx);
  },
};
