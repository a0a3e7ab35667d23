/**
 * Deleting benchmark clones, and finding the ones a dead process left behind.
 *
 * What a delete removes (https://docs.databricks.com/api/workspace/pipelines/delete): "If the
 * pipeline publishes to Unity Catalog, pipeline deletion will cascade to all pipeline tables"
 * (`cascade`, default true: its materialized views, streaming tables and views go with it). So for
 * a Unity Catalog clone the DELETE (sent with cascade=true, explicitly) drops what it wrote, and the
 * emptied scratch schema it created is then deleted too (DELETE /api/2.1/unity-catalog/schemas,
 * without force: Unity Catalog refuses a schema that still holds anything, so nothing else can go).
 * The cascade is documented for Unity Catalog only: a Hive metastore clone's tables in its
 * hive_metastore scratch schema, and the data in its own storage location, are not documented to go
 * with it, so dlt-doctor says exactly what is left and the statement that removes it.
 *
 * A clone is stopped before it is deleted (an update may still be running after a cancel or an
 * error). Each clone is tried three times; a failure is recorded on its row and tried again at the
 * next start, so a clone is never forgotten.
 */
import type { RestClient } from '../databricks/rest.js';
import { DoctorError } from '../errors.js';
import type { ExperimentStore } from '../store/experiments.js';
import { CLONE_NAME_PREFIX } from './clone-spec.js';

export interface CleanupDeps {
  rest: Pick<RestClient, 'deletePipeline' | 'stopPipeline' | 'deleteSchema' | 'listPipelines'>;
  store: ExperimentStore;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  logger: { warn(...m: unknown[]): void };
}

const reason = (err: unknown) => (err instanceof DoctorError ? err.message : err instanceof Error ? err.message : String(err));

export async function deleteClone(d: CleanupDeps, c: { experimentId: string; cloneId: string; target: { catalog: string | null; fullName: string } | null }): Promise<{ deleted: boolean; notes: string[] }> {
  const notes: string[] = [];
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await d.rest.stopPipeline(c.cloneId).catch(() => undefined);
      await d.rest.deletePipeline(c.cloneId, { cascade: true });
      lastError = null;
      break;
    } catch (err) {
      lastError = err;
      await d.sleep(500 * (attempt + 1));
    }
  }
  if (lastError !== null) {
    const why = reason(lastError);
    await d.store.cloneCleanupFailed(c.experimentId, c.cloneId, why);
    d.logger.warn(`experiment ${c.experimentId}: clone ${c.cloneId} not deleted (tried again at the next start): ${why}`);
    return { deleted: false, notes: [`The clone ${c.cloneId} could not be deleted (${why}); dlt-doctor tries again at its next start, or delete it in the workspace.`] };
  }
  await d.store.cloneDeleted(c.experimentId, c.cloneId, d.now());
  if (c.target?.catalog) {
    // the cascade dropped its tables; the schema it created is empty now
    try {
      await d.rest.deleteSchema(c.target.fullName);
    } catch (err) {
      notes.push(`The scratch schema ${c.target.fullName} was left (${reason(err)}); it holds no tables of the clone.`);
    }
  } else if (c.target) {
    notes.push(`Hive metastore: deleting a pipeline is documented to drop its tables only for Unity Catalog, so the clone's tables may remain in ${c.target.fullName}; remove them with DROP SCHEMA ${c.target.fullName} CASCADE.`);
  }
  return { deleted: true, notes };
}

/**
 * At start (and before each CLI experiment): experiments still marked running whose process is
 * gone (heartbeat older than `staleMs`, not run by this process) are ended as failed and their
 * clones deleted — the recorded ones, and any pipeline whose name carries the experiment's id (a
 * clone created just before the process died, before its id was recorded). Clones whose deletion
 * failed earlier are tried again.
 */
export async function cleanupOrphans(d: CleanupDeps, o: { inProcess: ReadonlySet<string>; staleMs: number }): Promise<{ experiments: string[]; deleted: string[]; left: string[] }> {
  const out = { experiments: [] as string[], deleted: [] as string[], left: [] as string[] };
  const t = d.now();
  for (const e of await d.store.running()) {
    if (o.inProcess.has(e.id) || t - e.heartbeatAt < o.staleMs) continue;
    if (!(await d.store.finish(e.id, { state: 'failed', at: t, message: 'The process running it stopped; its clones were deleted at the next start.', result: null }))) continue;
    await d.store.step(e.id, t, 'orphaned', { heartbeat_at: e.heartbeatAt });
    out.experiments.push(e.id);
    // a clone created but not yet recorded: found by the experiment id in its name
    try {
      const named = await d.rest.listPipelines({ filter: `name LIKE '%${e.id}%'` });
      for (const p of named) {
        if (typeof p.name === 'string' && p.name.startsWith(CLONE_NAME_PREFIX) && p.name.endsWith(` ${e.id}`)) await d.store.addClone(e.id, null, p.pipeline_id, null, t);
      }
    } catch (err) {
      d.logger.warn(`experiment ${e.id}: listing its clones by name failed: ${reason(err)}`);
    }
  }
  for (const c of await d.store.liveClones()) {
    if (o.inProcess.has(c.experimentId)) continue;
    const e = await d.store.get(c.experimentId);
    if (e?.state === 'running') continue;
    const catalog = c.target && !c.target.startsWith('hive_metastore.') ? c.target.split('.')[0]! : null;
    const r = await deleteClone(d, { experimentId: c.experimentId, cloneId: c.cloneId, target: c.target ? { catalog, fullName: c.target } : null });
    (r.deleted ? out.deleted : out.left).push(c.cloneId);
    if (r.deleted) await d.store.step(c.experimentId, d.now(), 'orphan-clone-deleted', { clone_id: c.cloneId });
  }
  return out;
}
