/**
 * One-click apply, surface-neutral: `preview` finds the recommendation again (collect + diagnose
 * the same update), reads the pipeline (GET: spec + last_modified) and computes the exact diff;
 * `confirm` checks the user is allowed, does the read-modify-write PUT with expected_last_modified
 * (a 409 means someone edited the pipeline since the preview: nothing changes) and writes the audit
 * row (who, when, before, after, result). Refusals and conflicts are audited too.
 */
import { diagnose } from '../diagnosis/diagnose.js';
import type { Recommendation } from '../diagnosis/types.js';
import { DoctorError } from '../errors.js';
import { editPipelineBody } from '../databricks/pipeline-edit.js';
import type { PipelineDetails, RestClient } from '../databricks/rest.js';
import type { Source } from '../source.js';
import type { AlertStore } from '../store/alerts.js';
import type { SlackInstallationRef } from '../store/slack-installations.js';
import { applyChange, isAppliable, type SettingChange, type Spec } from './apply-change.js';

export interface ApplyRef {
  /** pipeline id or name */
  pipeline: string;
  updateId: string | null;
  recommendationId: string;
}

export interface ApplyPreview {
  pipelineId: string;
  pipelineName: string;
  updateId: string;
  recommendation: Recommendation;
  diff: SettingChange[];
  lastModified: number | null;
}

export type ConfirmResult =
  | { ok: true; preview: ApplyPreview; auditId: number }
  | { ok: false; code: 'refused' | 'conflict' | 'invalid' | 'failed'; message: string };

export interface ApplyServiceOptions {
  rest: RestClient;
  source: Source;
  store: AlertStore;
  /** Slack user ids (DLT_DOCTOR_APPLY_ALLOWED_USERS) */
  allowedUsers: readonly string[];
  now: () => number;
}

export const REFUSED_MESSAGE = 'Only the people listed in DLT_DOCTOR_APPLY_ALLOWED_USERS may apply changes to pipelines. Nothing was changed; ask one of them, or copy the setting into the pipeline yourself.';
export const CONFLICT_MESSAGE = 'Someone changed the pipeline since this fix was shown, so nothing was changed. Re-diagnose and apply again if the fix still fits.';

export function createApplyService(o: ApplyServiceOptions) {
  const allowed = new Set(o.allowedUsers);

  async function preview(ref: ApplyRef): Promise<ApplyPreview & { spec: Spec; newSpec: Spec; details: PipelineDetails }> {
    const evidence = await o.source.collect(ref.pipeline, ref.updateId ? { updateId: ref.updateId } : {});
    // the fixes why-slow showed: none that undoes a change applied before (src/diagnosis/applied-changes.ts)
    const d = diagnose(evidence, { applied: o.store.appliedChanges() });
    const rec = d.recommendations.find((r) => r.id === ref.recommendationId);
    if (!rec) {
      const ids = d.recommendations.filter((r) => isAppliable(r.change)).map((r) => r.id);
      throw new DoctorError('BAD_USAGE', `Update ${d.update.id} of ${d.pipeline.name} has no recommendation "${ref.recommendationId}".`, {
        hint: ids.length ? `Fixes that can be applied: ${ids.map((i) => `\`${i}\``).join(', ')}.` : 'None of its fixes is a setting apply can change; run `why-slow` to see them.',
        suggestions: ids,
      });
    }
    if (!rec.change || !isAppliable(rec.change)) {
      throw new DoctorError('BAD_USAGE', `"${rec.title}" is not a pipeline setting apply can change${rec.change ? ` (${rec.change.target}: ${rec.change.key})` : ''}.`);
    }
    const details = await o.rest.getPipeline(evidence.pipeline.id);
    if (!details.rawSpec) throw new DoctorError('SOURCE_UNAVAILABLE', `Databricks returned no settings for ${d.pipeline.name}.`);
    const applied = applyChange(details.rawSpec, rec.change);
    if (!applied.ok) throw new DoctorError('BAD_USAGE', `Cannot apply "${rec.title}": ${applied.reason}`);
    return {
      pipelineId: d.pipeline.id,
      pipelineName: d.pipeline.name,
      updateId: d.update.id,
      recommendation: rec,
      diff: applied.diff,
      lastModified: typeof details.last_modified === 'number' ? details.last_modified : null,
      spec: details.rawSpec,
      newSpec: applied.spec,
      details,
    };
  }

  return {
    canApply(userId: string | undefined | null): boolean {
      return Boolean(userId && allowed.has(userId));
    },

    async preview(ref: ApplyRef): Promise<ApplyPreview> {
      const { spec: _s, newSpec: _n, details: _d, ...p } = await preview(ref);
      return p;
    },

    /**
     * Applies the recommendation. `expectedLastModified` is the pipeline's last_modified the person
     * saw in the preview: the PUT carries it, so any edit since then is a 409, not an overwrite.
     */
    async confirm(
      input: ApplyRef & { userId: string; surface: string; channel: string | null; threadTs: string | null; expectedLastModified: number | null; slack?: SlackInstallationRef | null },
    ): Promise<ConfirmResult> {
      const base = {
        // the Slack installation it was made from: "did it help" posts with its token
        slack: input.slack ?? null,
        at: o.now(),
        userId: input.userId,
        surface: input.surface,
        channel: input.channel,
        threadTs: input.threadTs,
        updateId: input.updateId,
        recommendationId: input.recommendationId,
        latestUpdateTime: null,
      };
      if (!allowed.has(input.userId)) {
        o.store.audit({ ...base, pipelineId: input.pipeline, change: null, diff: [], before: null, after: null, result: 'refused', message: 'user not in DLT_DOCTOR_APPLY_ALLOWED_USERS' });
        return { ok: false, code: 'refused', message: REFUSED_MESSAGE };
      }
      let p: Awaited<ReturnType<typeof preview>>;
      try {
        p = await preview(input);
      } catch (err) {
        const message = err instanceof DoctorError ? err.message : 'The fix could not be prepared.';
        return { ok: false, code: 'invalid', message };
      }
      const audit = { ...base, pipelineId: p.pipelineId, updateId: p.updateId, change: p.recommendation.change, diff: p.diff };
      const expected = input.expectedLastModified ?? p.lastModified;
      const latest = await o.rest.listUpdates(p.pipelineId, { maxResults: 5 }).catch(() => []);
      const latestUpdateTime = latest.reduce((m, u) => Math.max(m, u.creation_time ?? 0), 0) || null;
      try {
        // the new spec plus the GET's top-level run_as / parameters, which a spec-only PUT would clear
        await o.rest.editPipeline(p.pipelineId, editPipelineBody(p.details, p.newSpec, expected));
      } catch (err) {
        if (err instanceof DoctorError && err.code === 'CONFLICT') {
          o.store.audit({ ...audit, before: null, after: null, result: 'conflict', message: err.message, latestUpdateTime });
          return { ok: false, code: 'conflict', message: CONFLICT_MESSAGE };
        }
        const message = err instanceof DoctorError ? err.message : 'Databricks did not accept the change.';
        o.store.audit({ ...audit, before: null, after: null, result: 'failed', message, latestUpdateTime });
        return { ok: false, code: 'failed', message: `Nothing was changed: ${message}` };
      }
      const auditId = o.store.audit({ ...audit, before: p.spec, after: p.newSpec, result: 'applied', message: null, latestUpdateTime });
      const { spec: _s, newSpec: _n, details: _d, ...shown } = p;
      return { ok: true, preview: shown, auditId };
    },
  };
}

export type ApplyService = ReturnType<typeof createApplyService>;
