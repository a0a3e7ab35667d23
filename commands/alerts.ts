/**
 * `alerts on <pipeline|*> [--regression 1.5] [--backlog 15m] [--cost-spike 20%]`, `alerts off <pipeline|*|all>`,
 * `alerts mute <pipeline|*> <duration>`, `alerts list`: alert threads for this channel
 * (src/schedule/alert-poller.ts). Every argument is validated before anything is stored.
 */
import { z } from 'zod';
import { plural } from '../src/util/plural.js';
import { badUsage, DoctorError } from '../src/errors.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../src/store/alerts.js';
import type { Command, CommandContext, Reply } from './types.js';
import { echo } from '../src/util/echo.js';
import { formatDuration } from '../src/diagnosis/format.js';

export type AlertsArgs =
  | { action: 'on'; pipeline: string; thresholds: Thresholds }
  | { action: 'off'; pipeline: string }
  | { action: 'mute'; pipeline: string; durationMs: number; durationText: string }
  | { action: 'ack' | 'resolve' | 'unmute'; pipeline: string }
  | { action: 'list' };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const MAX_MUTE_MS = 30 * 86_400_000;

/** "15m", "2h", "1d", "90s" → ms; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)$/i.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!;
  return ms > 0 ? ms : null;
}

export const args = z
  .strictObject({
    _: z.array(z.string().min(1)),
    regression: z.string({ error: 'needs a factor, e.g. 1.5' }).optional(),
    backlog: z.string({ error: 'needs a duration, e.g. 15m' }).optional(),
    'cost-spike': z.string({ error: 'needs a percentage, e.g. 20%' }).optional(),
  })
  .transform((v, ctx): AlertsArgs => {
    const [action = 'list', ...rest] = v._;
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    const flags = (['regression', 'backlog', 'cost-spike'] as const).filter((k) => v[k] !== undefined);
    if (action !== 'on' && flags.length) return fail(`alerts ${action} takes no --${flags[0]}`);
    const one = (what: string) => {
      if (rest.length !== 1) return fail(`alerts ${action} needs ${what}`);
      return rest[0]!;
    };
    switch (action) {
      case 'on': {
        const pipeline = one('one pipeline, or * for every pipeline');
        const t = { ...DEFAULT_THRESHOLDS };
        if (v.regression !== undefined) {
          const f = Number(v.regression.replace(/x$/i, ''));
          if (!/^\d+(\.\d+)?x?$/i.test(v.regression) || !(f > 1) || f > 100) return fail(`--regression must be a factor above 1, e.g. 1.5 (not "${echo(v.regression)}")`);
          t.regression = f;
        }
        if (v.backlog !== undefined) {
          const ms = parseDuration(v.backlog);
          if (ms === null || ms < 60_000 || ms > 86_400_000) return fail(`--backlog must be a duration between 1m and 1d, e.g. 15m (not "${echo(v.backlog)}")`);
          t.backlogMin = ms / 60_000;
        }
        if (v['cost-spike'] !== undefined) {
          const m = /^(\d+(?:\.\d+)?)%?$/.exec(v['cost-spike'].trim());
          const p = m ? Number(m[1]) : NaN;
          if (!(p > 0) || p > 1000) return fail(`--cost-spike must be a percentage above 0, e.g. 20% (not "${echo(v['cost-spike'])}")`);
          t.costSpikePct = p;
        }
        return { action, pipeline, thresholds: t };
      }
      case 'off':
        return { action, pipeline: one('a pipeline, * or all') };
      case 'mute': {
        if (rest.length !== 2) return fail('alerts mute needs a pipeline and a duration, e.g. alerts mute orders_silver 2h');
        const ms = parseDuration(rest[1]!);
        if (ms === null) return fail(`"${echo(rest[1])}" is not a duration (use 30m, 2h, 1d)`);
        if (ms > MAX_MUTE_MS) return fail('a mute lasts at most 30d; use alerts off to stop alerts');
        return { action, pipeline: rest[0]!, durationMs: ms, durationText: rest[1]! };
      }
      case 'list':
        if (rest.length) return fail('alerts list takes no arguments');
        return { action };
      case 'ack':
      case 'acknowledge':
        return { action: 'ack', pipeline: one('a pipeline, or * for every pipeline') };
      case 'resolve':
      case 'unmute':
        return { action, pipeline: one('a pipeline, or * for every pipeline') };
      default:
        return fail(`unknown alerts action "${echo(action)}" (on, off, mute, unmute, ack, resolve, list)`);
    }
  });

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function needs(ctx: CommandContext) {
  if (!ctx.channelId) throw badUsage('Alerts post into a chat channel: run this command in a Slack or Teams channel (or the console).');
  if (!ctx.alerts) throw new DoctorError('CONFIG', 'Alert threads are not running in this bot (it was started without its database).');
  return { channel: ctx.channelId, api: ctx.alerts };
}

async function resolve(ctx: CommandContext, ref: string): Promise<{ id: string; name: string }> {
  if (ref === '*') return { id: '*', name: 'every pipeline' };
  return ctx.source.resolvePipeline(ref);
}

export const alerts: Command<AlertsArgs> = {
  meta: {
    name: 'alerts',
    summary: 'Alert threads in this channel: failed, slower than baseline, growing backlog, cost spikes.',
    usage: 'alerts on <pipeline|*> [--regression 1.5] [--backlog 15m] [--cost-spike 20%] · alerts off <pipeline|*|all> · alerts mute <pipeline|*> <duration> · alerts unmute <pipeline|*> · alerts ack <pipeline|*> · alerts resolve <pipeline|*> · alerts list',
    examples: ['alerts on orders_silver --regression 1.5 --backlog 15m --cost-spike 20%', 'alerts on *', 'alerts mute orders_silver 2h', 'alerts ack orders_silver', 'alerts resolve orders_silver', 'alerts off all', 'alerts list'],
  },
  args,
  async run(a, ctx): Promise<Reply> {
    const { channel, api } = needs(ctx);
    const now = ctx.now().getTime();
    switch (a.action) {
      case 'on': {
        const p = await resolve(ctx, a.pipeline);
        // a Teams channel's incidents go back to Teams; Slack and the console share the Slack poster
        await api.store.watch({ channel, pipelineId: p.id, pipelineName: p.name, ...a.thresholds, createdBy: ctx.userId ?? null, createdAt: now, surface: ctx.surface === 'teams' ? 'teams' : 'slack', slack: ctx.surface === 'slack' ? (ctx.slackInstallation ?? null) : null });
        const t = a.thresholds;
        return {
          kind: 'text',
          text: `Alerts on for ${p.name} in this channel: failed updates, duration ≥ ${t.regression}× the baseline median, a backlog growing for ${formatDuration(t.backlogMin * 60)}, daily cost ≥ ${t.costSpikePct}% over the previous five-day average. Each incident gets one message here with the diagnosis in its thread.`,
        };
      }
      case 'off': {
        const p = a.pipeline === 'all' ? { id: 'all', name: 'every watch' } : await resolve(ctx, a.pipeline);
        const n = await api.store.unwatch(channel, p.id);
        return { kind: 'text', text: n ? `Alerts off for ${p.name} in this channel.` : `This channel had no alerts on for ${p.name}.` };
      }
      case 'mute': {
        const p = await resolve(ctx, a.pipeline);
        const until = now + a.durationMs;
        await api.store.mute(channel, p.id, until, ctx.userId ?? null);
        await api.onMuted(channel, p.id, until, ctx.userId ?? null);
        return { kind: 'text', text: `Alerts for ${p.name} muted in this channel for ${a.durationText} (until ${utc(until)}).` };
      }
      case 'ack':
      case 'resolve':
      case 'unmute': {
        const p = await resolve(ctx, a.pipeline);
        const n = await api.onIncidentAction(channel, p.id, a.action === 'ack' ? 'acknowledge' : a.action, ctx.userId ?? null);
        const done = { ack: 'acknowledged', resolve: 'resolved', unmute: 'unmuted' }[a.action];
        if (a.action === 'unmute') return { kind: 'text', text: n ? `Alerts for ${p.name} unmuted in this channel; ${plural(n, 'muted alert')} open again.` : `Alerts for ${p.name} are no longer muted in this channel.` };
        return { kind: 'text', text: n ? `${plural(n, 'alert')} for ${p.name} ${done} in this channel.` : `No open alert for ${p.name} in this channel.` };
      }
      case 'list': {
        const watches = await api.store.watches(channel);
        const mutes = await api.store.mutes(channel, now);
        if (!watches.length && !mutes.length) return { kind: 'text', text: 'No alerts in this channel. Turn them on with `alerts on <pipeline|*>`.' };
        const lines = watches.map((w) => `• ${w.pipelineName}: regression ${w.regression}×, backlog ${formatDuration(w.backlogMin * 60)}, cost spike ${w.costSpikePct}%`);
        for (const m of mutes) {
          // a muted pipeline nobody watches here is named by the workspace (its id if that fails)
          const name = m.pipelineId === '*'
            ? 'every pipeline'
            : (watches.find((w) => w.pipelineId === m.pipelineId)?.pipelineName ?? (await ctx.source.resolvePipeline(m.pipelineId).then((p) => p.name, () => m.pipelineId)));
          lines.push(`• muted: ${name} until ${utc(m.untilMs)}`);
        }
        // alerts whose message could not be posted yet (retried with backoff by the poller)
        for (const i of (await api.store.pendingIncidents()).filter((x) => x.channel === channel)) {
          const next = i.nextPostAt ? `; next try ${utc(i.nextPostAt)}` : '';
          lines.push(`• pending: the ${i.kind} alert for ${i.pipelineName} (update ${i.updateId}) is not posted yet after ${i.postAttempts ?? 0} attempt(s)${next}; last error: ${i.postError ?? 'unknown'}`);
        }
        return { kind: 'text', text: `Alerts in this channel:\n${lines.join('\n')}` };
      }
    }
  },
};
