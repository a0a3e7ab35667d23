import { resolve } from 'node:path';
import { z } from 'zod';
import { DoctorError } from '../src/errors.js';
import type { Command } from './types.js';
import { pipelineRef } from './why-slow.js';

export interface ExportArgs {
  pipeline: string | null;
  update: string | null;
  out: string;
}

export const args = z
  .strictObject({
    _: z.array(z.string().min(1)).max(1, 'give one pipeline (quote a name with spaces)'),
    update: z.string({ error: 'needs an update id' }).min(1).optional(),
    out: z.string({ error: 'needs a folder to write the bundle into' }).min(1),
  })
  .transform((v): ExportArgs => ({ pipeline: v._[0] ?? null, update: v.update ?? null, out: v.out }));

/**
 * `export`: the evidence of one update as a CONTRACT.md §1 bundle folder, to attach to a ticket or
 * diagnose offline with `--bundle`. Terminal only: in chat it would write to the bot's disk.
 */
export const exportCommand: Command<ExportArgs> = {
  meta: {
    name: 'export',
    summary: 'Write the evidence of an update as a bundle folder (pipeline.json, events.jsonl, …) for offline diagnosis.',
    usage: 'export <pipeline> [--update ID] --out DIR',
    examples: ['export orders_silver --out ./orders_silver-bundle', 'export orders_silver --update 8f2c1e --out ./bundle'],
  },
  args,
  async run(a, ctx) {
    if (ctx.surface !== 'cli') {
      return {
        kind: 'error',
        code: 'BAD_USAGE',
        message: '`export` is only available in the terminal: it writes files to the disk of the machine that runs it.',
        hint: `Run \`dlt-doctor ${exportCommand.meta.usage}\` on your own machine, then attach or upload the folder.`,
        suggestions: [],
        usage: null,
      };
    }
    if (!ctx.source.exportBundle) {
      throw new DoctorError('BAD_USAGE', `A ${ctx.source.kind} source cannot be exported.`, {
        hint: 'Export reads a workspace: leave out --bundle (a bundle is already an export).',
      });
    }
    ctx.onProgress?.('resolving');
    const ref = await pipelineRef(ctx.source, a.pipeline, exportCommand.meta.usage);
    ctx.onProgress?.('collecting');
    const out = resolve(a.out);
    const r = await ctx.source.exportBundle(ref, { ...(a.update ? { updateId: a.update } : {}), outDir: out });
    return {
      kind: 'text',
      text: `Wrote ${r.files.length} files (${r.events} event rows) to ${r.dir}: ${r.files.join(', ')}.\nDiagnose it offline with: dlt-doctor why-slow --bundle ${r.dir}`,
    };
  },
};
