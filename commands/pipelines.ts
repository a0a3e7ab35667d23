import { z } from 'zod';
import type { Command } from './types.js';

export interface PipelinesArgs {
  filter: string | null;
}

export const args = z
  .strictObject({ _: z.array(z.string()).max(1, 'give at most one filter (quote it if it has spaces)') })
  .transform((v): PipelinesArgs => ({ filter: v._[0]?.trim() || null }));

export const pipelines: Command<PipelinesArgs> = {
  meta: {
    name: 'pipelines',
    summary: 'List pipelines: health, last update, duration against its baseline.',
    usage: 'pipelines [filter]',
    examples: ['pipelines', 'pipelines orders'],
  },
  args,
  async run(a, ctx) {
    const list = await ctx.source.listPipelines(a.filter ?? undefined);
    return { kind: 'pipelines', pipelines: [...list].sort((x, y) => x.name.localeCompare(y.name)), filter: a.filter };
  },
};
