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
import type { SlackInstallationRef } from '../store/slack-installations.js';
import type { AlertStore, JournalRow } from '../store/alerts.js';
import { createAllowList, type ApplyActor } from './allow-list.js';
import { applyChange, isAppliable, type SettingChange, type Spec } from './apply-change.js';
import { reconcileIntents } from './apply-journal.js';

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
  | { ok: false; code: 'refused' | 'conflict' | 'invalid' | 'failed' | 'replayed'; message: string };

/** Who confirms, as the surface saw them: Slack (and the console) or a Teams activity (allow-list.ts). */
export type TeamsIdentity = Omit<Extract<ApplyActor, { platform: 'teams' }>, 'platform'>;

export interface ConfirmInput extends ApplyRef {
  /** the id shown and audited: Slack user id; Teams: the Entra object id (else from.id) */
  userId: string;
  surface: string;
  channel: string | null;
  threadTs: string | null;
  expectedLastModified: number | null;
  slack?: SlackInstallationRef | null;
  /** surface 'teams': the activity's aadObjectId, tenant and channelId; without it a Teams user is refused */
  teams?: TeamsIdentity | null;
}

export interface ApplyServiceOptions {
  rest: RestClient;
  source: Source;
  store: AlertStore;
  /** DLT_DOCTOR_APPLY_ALLOWED_USERS entries: slack:<id>, teams:<Entra object id>, or bare (Slack ids only) */
  allowedUsers: readonly string[];
  /** the Entra tenants a teams: entry is accepted from (TEAMS_TENANT_ID + TEAMS_ALLOWED_TENANT_IDS) */
  teamsTenants?: readonly string[];
  now: () => number;
  logger?: { warn(...m: unknown[]): void };
}

export const REFUSED_MESSAGE = 'Only the people listed in DLT_DOCTOR_APPLY_ALLOWED_USERS may apply changes to pipelines. Nothing was changed; ask one of them, or copy the setting into the pipeline yourself.';
export const CONFLICT_MESSAGE = 'Someone changed the pipeline since this fix was shown, so nothing was changed. Re-diagnose and apply again if the fix still fits.';

const fmt = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The answer to a Confirm for a fix already applied (or whose apply is still being recorded). */
export function replayedMessage(row: JournalRow): string {
  return row.result === 'applied'
    ? `This fix was already applied by ${row.userId} at ${fmt(row.at)} (audit #${row.id}). Nothing was changed now.`
    : `An apply of this fix by ${row.userId} started at ${fmt(row.at)} and its outcome is not recorded yet (audit #${row.id}); dlt-doctor checks the pipeline and records it. Nothing was changed now.`;
}

function refusalReason(actor: ApplyActor, tenants: readonly string[]): string {
  if (actor.platform === 'slack') return 'user not in DLT_DOCTOR_APPLY_ALLOWED_USERS';
  if (actor.channelId !== 'msteams') return `Teams identity refused: channelId ${String(actor.channelId).slice(0, 40)} is not msteams`;
  if (!actor.tenantId || !tenants.map((t) => t.toLowerCase()).includes(actor.tenantId.toLowerCase())) return `Teams identity refused: tenant ${String(actor.tenantId).slice(0, 40)} is not an allowed tenant`;
  return 'Teams user (teams:<aadObjectId>) not in DLT_DOCTOR_APPLY_ALLOWED_USERS';
}

export function createApplyService(o: ApplyServiceOptions) {
  const tenants = o.teamsTenants ?? [];
  const allowList = createAllowList(o.allowedUsers, { teamsTenants: tenants });
  const warn = o.logger?.warn.bind(o.logger) ?? ((...m: unknown[]) => console.warn('[apply]', ...m));
  /** intents of this process between the intent and its outcome: reconciliation leaves them alone */
  const inFlight = new Set<number>();
  const actorOf = (input: Pick<ConfirmInput, 'surface' | 'userId' | 'teams'>): ApplyActor =>
    input.surface === 'teams' ? { platform: 'teams', aadObjectId: input.teams?.aadObjectId ?? null, tenantId: input.teams?.tenantId ?? null, channelId: input.teams?.channelId ?? null } : { platform: 'slack', userId: input.userId };

  /** An audit write that must not turn a done PUT into an error: retried briefly (SQLite busy), else logged. */
  async function resolve(id: number, outcome: Parameters<AlertStore['resolveIntent']>[1]): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await o.store.resolveIntent(id, { ...outcome, force: true });
        return;
      } catch (err) {
        if (attempt === 2) warn(`apply #${id}: recording its outcome (${outcome.result}) failed, left for reconciliation: ${err instanceof Error ? err.message : String(err)}`);
        else await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
      }
    }
  }

  async function preview(ref: ApplyRef): Promise<ApplyPreview & { spec: Spec; newSpec: Spec; details: PipelineDetails }> {
    const evidence = await o.source.collect(ref.pipeline, ref.updateId ? { updateId: ref.updateId } : {});
    // the fixes why-slow showed: none that undoes a change applied before (src/diagnosis/applied-changes.ts)
    const d = diagnose(evidence, { applied: await o.store.appliedChanges() });
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
    /** a Slack (or console) user id, or the actor a surface built (Teams: tenant and channel checked) */
    canApply(who: string | ApplyActor | undefined | null): boolean {
      if (!who) return false;
      return allowList.allows(typeof who === 'string' ? { platform: 'slack', userId: who } : who);
    },

    /** A Confirm whose payload could not be read (a forged or stale card/button): audited, nothing changes. */
    async auditInvalid(input: { userId: string; surface: string; channel: string | null; threadTs: string | null; what: string }): Promise<void> {
      try {
        await o.store.audit({ at: o.now(), userId: input.userId, surface: input.surface, channel: input.channel, threadTs: input.threadTs, pipelineId: '?', updateId: null, recommendationId: '?', change: null, diff: [], before: null, after: null, result: 'invalid', message: `unreadable ${input.what}`, latestUpdateTime: null });
      } catch (err) {
        warn(`auditing an invalid ${input.what} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    },

    /** bare and unusable allow-list entries, for the one-time start-up warning */
    allowList,

    /** Open intents older than `minAgeMs` checked against their pipelines (apply-journal.ts). */
    reconcile(opts: { minAgeMs?: number } = {}) {
      return reconcileIntents({ store: o.store, rest: o.rest, now: o.now, inFlight, logger: { warn }, ...opts });
    },

    async preview(ref: ApplyRef): Promise<ApplyPreview> {
      try {
        const { spec: _s, newSpec: _n, details: _d, ...p } = await preview(ref);
        return p;
      } catch (err) {
        // the fix is gone from the diagnosis because dlt-doctor applied it: say who and when
        const earlier = err instanceof DoctorError && err.code === 'BAD_USAGE' ? await o.store.doneIntent(ref.pipeline, ref.recommendationId, ref.updateId) : null;
        if (earlier) throw new DoctorError('BAD_USAGE', replayedMessage(earlier));
        throw err;
      }
    },

    /**
     * Applies the recommendation. `expectedLastModified` is the pipeline's last_modified the person
     * saw in the preview: the PUT carries it, so any edit since then is a 409, not an overwrite.
     */
    async confirm(input: ConfirmInput): Promise<ConfirmResult> {
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
        expectedLastModified: input.expectedLastModified,
      };
      const none = { pipelineId: input.pipeline, change: null, diff: [], before: null, after: null };
      const actor = actorOf(input);
      if (!allowList.allows(actor)) {
        await o.store.audit({ ...base, ...none, result: 'refused', message: refusalReason(actor, tenants) });
        return { ok: false, code: 'refused', message: REFUSED_MESSAGE };
      }
      const replayed = async (row: JournalRow): Promise<ConfirmResult> => {
        await o.store.audit({ ...base, ...none, pipelineId: row.pipelineId, result: 'replayed', message: `confirm for audit #${row.id} (${row.result})` });
        return { ok: false, code: 'replayed', message: replayedMessage(row) };
      };
      // a second Confirm of the same fix (a double click, an old button): answered from the journal
      const done = input.updateId ? await o.store.doneIntent(input.pipeline, input.recommendationId, input.updateId) : null;
      if (done) return replayed(done);
      let p: Awaited<ReturnType<typeof preview>>;
      try {
        p = await preview(input);
      } catch (err) {
        // the fix is gone from the diagnosis because it was applied: say so, not "no recommendation"
        const earlier = await o.store.doneIntent(input.pipeline, input.recommendationId, null);
        if (earlier) return replayed(earlier);
        const message = err instanceof DoctorError ? err.message : 'The fix could not be prepared.';
        if (!(err instanceof DoctorError)) warn(`apply preview failed: ${err instanceof Error ? err.message : String(err)}`);
        await o.store.audit({ ...base, ...none, result: 'invalid', message });
        return { ok: false, code: 'invalid', message };
      }
      const again = await o.store.doneIntent(p.pipelineId, input.recommendationId, p.updateId);
      if (again) return replayed(again);
      const expected = input.expectedLastModified ?? p.lastModified;
      const latest = await o.rest.listUpdates(p.pipelineId, { maxResults: 5 }).catch(() => []);
      const latestUpdateTime = latest.reduce((m, u) => Math.max(m, u.creation_time ?? 0), 0) || null;
      const audit = { ...base, pipelineId: p.pipelineId, updateId: p.updateId, change: p.recommendation.change, diff: p.diff, latestUpdateTime, expectedLastModified: expected, pipelineName: p.pipelineName, title: p.recommendation.title };
      // the intent, before anything changes: if it cannot be written, nothing is changed
      let auditId: number;
      try {
        auditId = await o.store.audit({ ...audit, before: p.spec, after: p.newSpec, result: 'pending', message: null });
      } catch (err) {
        warn(`apply: writing the intent failed, nothing changed: ${err instanceof Error ? err.message : String(err)}`);
        return { ok: false, code: 'failed', message: 'Nothing was changed: the apply could not be recorded in the audit log. Try again in a moment.' };
      }
      inFlight.add(auditId);
      try {
        // the new spec plus the GET's top-level run_as / parameters, which a spec-only PUT would clear
        await o.rest.editPipeline(p.pipelineId, editPipelineBody(p.details, p.newSpec, expected));
      } catch (err) {
        if (err instanceof DoctorError && err.code === 'CONFLICT') {
          await resolve(auditId, { result: 'conflict', message: err.message, at: o.now() });
          return { ok: false, code: 'conflict', message: CONFLICT_MESSAGE };
        }
        const message = err instanceof DoctorError ? err.message : 'Databricks did not accept the change.';
        await resolve(auditId, { result: 'failed', message, at: o.now() });
        return { ok: false, code: 'failed', message: `Nothing was changed: ${message}` };
      } finally {
        inFlight.delete(auditId);
      }
      await resolve(auditId, { result: 'applied', message: null, at: o.now() });
      const { spec: _s, newSpec: _n, details: _d, ...shown } = p;
      return { ok: true, preview: shown, auditId };
    },
  };
}

export type ApplyService = ReturnType<typeof createApplyService>;
