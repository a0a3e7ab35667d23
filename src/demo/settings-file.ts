/**
 * The demo workspace's applied settings across restarts (issue 17 item 4): a fix applied in the
 * console changes the demo pipeline's settings (PUT /api/2.0/pipelines/{id}); the generated
 * workspace is made afresh at every start, so without this a restart would quietly undo the change
 * while the audit journal says it was applied. The edited pipelines' settings are written to a JSON
 * file beside the bot's database (by pipeline name: the generated ids are not stable across hours)
 * and put back at start.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { DemoState } from './rest-server.js';

const SettingsFile = z.object({
  version: z.literal(1),
  pipelines: z.record(z.string(), z.object({ spec: z.record(z.string(), z.unknown()) })),
});

/** Restores the file's settings into the demo state, then keeps the file up to date; returns the unsubscribe. */
export function keepDemoSettings(state: DemoState, file: string, warn: (m: string) => void = (m) => console.warn(`[demo] ${m}`)): () => void {
  const edited = new Map<string, Record<string, unknown>>();
  const byName = new Map(state.pipelines().map((p) => [String(p.name), String(p.pipeline_id)]));
  if (existsSync(file)) {
    try {
      const saved = SettingsFile.parse(JSON.parse(readFileSync(file, 'utf8')));
      for (const [name, { spec }] of Object.entries(saved.pipelines)) {
        const id = byName.get(name);
        if (!id) continue; // a pipeline the demo no longer has
        state.editPipeline(id, { ...spec, id });
        edited.set(name, spec);
      }
    } catch (err) {
      warn(`${file} is not readable (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); starting from the generated settings`);
    }
  }
  const write = () => {
    const body = { version: 1 as const, pipelines: Object.fromEntries([...edited].map(([name, spec]) => [name, { spec }])) };
    try {
      writeFileSync(`${file}.tmp`, `${JSON.stringify(body, null, 2)}\n`);
      renameSync(`${file}.tmp`, file);
    } catch (err) {
      warn(`could not keep the demo settings in ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return state.onChange((c) => {
    // a deleted pipeline (e.g. a benchmark clone, DELETE /api/2.0/pipelines/{id}) leaves the file
    if (c.kind === 'deleted') {
      const names = new Set(state.pipelines().map((p) => String(p.name)));
      const gone = [...edited.keys()].filter((n) => !names.has(n));
      if (gone.length === 0) return;
      for (const n of gone) edited.delete(n);
      write();
      return;
    }
    if (c.kind !== 'pipeline') return;
    const p = state.pipeline(c.pipelineId);
    if (!p) return;
    edited.set(String(p.name), (p.spec ?? {}) as Record<string, unknown>);
    write();
  });
}
