/** `operation_progress` (Auto Loader listings) and `runtime_details` events. */
import type { UpdateAgg } from './agg.js';
import { num, obj, str, type Obj } from './json.js';

export function operationProgress(u: UpdateAgg, t: number, op: Obj | null): void {
  if (!op || op.type !== 'AUTO_LOADER_LISTING') return;
  const al = obj(op.auto_loader_details);
  const durationMs = num(op.duration_ms);
  const numFilesListed = num(al?.num_files_listed);
  // duration_ms only appears on the end event of a listing
  if (durationMs !== null || numFilesListed !== null) {
    u.autoLoader.push({ t, durationMs, numFilesListed, sourcePath: str(al?.source_path) });
  }
}

export function runtimeDetails(u: UpdateAgg, rd: Obj | null): void {
  const v = str(obj(rd?.runtime_version)?.dbr_version);
  if (v) u.dbrVersion = v;
}
