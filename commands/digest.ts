/**
 * `digest subscribe [daily|weekly|<cron>] [--at HH:MM] [--tz Area/City] [--filter <pattern|tag:k=v>]`,
 * `digest list`, `digest unsubscribe [id]`, `digest now [--filter F] [--days N]`.
 * Every argument is validated before anything is stored: a bad cron, time zone or filter is a usage
 * message with an example, and no subscription.
 */
import { z } from 'zod';
import { computeDigest, periodOfDays } from '../src/digest/compute.js';
import { resolveCostBackend } from '../src/digest/backend.js';
import { FILTER_EXAMPLES, parseFilter } from '../src/digest/filter.js';
import { badUsage } from '../src/errors.js';
import { isValidTimeZone, nodeCronEngine } from '../src/schedule/cron-engine.js';
import { scheduleInWords, scheduleLine } from '../src/schedule/schedule-words.js';
import type { Subscription } from '../src/store/subscriptions.js';
import type { Command, CommandContext, Reply } from './types.js';
import { appliedChangesOf } from './why-slow.js';
import { echo } from '../src/util/echo.js';

export type DigestArgs =
  | { action: 'subscribe'; cron: string; tz: string; filter: string | null; label: string }
  | { action: 'list' }
  | { action: 'unsubscribe'; id: number | null }
  | { action: 'now'; filter: string | null; days: number };

const HOUR_MS = 3_600_000;
const AT = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** a digest more often than hourly would flood a channel */
function atMostHourly(cron: string, tz: string): boolean {
  const from = new Date(Date.UTC(2026, 0, 5));
  const a = nodeCronEngine.next(cron, tz, from);
  const b = a && nodeCronEngine.next(cron, tz, a);
  return a !== null && b !== null && b.getTime() - a.getTime() >= HOUR_MS;
}

const filterText = z
  .string({ error: 'needs a pattern, e.g. orders_* or tag:team=finance' })
  .trim()
  .superRefine((v, ctx) => {
    const p = parseFilter(v);
    if (!p.ok) ctx.addIssue({ code: 'custom', message: p.message });
  });

const daysText = z
  .string({ error: 'needs a number of days' })
  .regex(/^\d{1,3}$/, 'must be a whole number of days (1–90)')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(90, 'must be at most 90 (node_timeline keeps 90 days)'));

export const args = z
  .strictObject({
    _: z.array(z.string()),
    at: z.string().optional(),
    tz: z.string().optional(),
    filter: filterText.optional(),
    days: daysText.optional(),
  })
  .transform((v, ctx): DigestArgs => {
    const [action = 'now', ...rest] = v._;
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    const only = (allowed: string[]) => {
      for (const k of ['at', 'tz', 'filter', 'days'] as const) {
        if (v[k] !== undefined && !allowed.includes(k)) return fail(`digest ${action} takes no --${k}`);
      }
      return true;
    };
    switch (action) {
      case 'subscribe': {
        only(['at', 'tz', 'filter']);
        const tz = v.tz ?? 'UTC';
        if (!isValidTimeZone(tz)) return fail(`unknown time zone "${echo(tz)}" (use an IANA name such as Europe/Berlin or America/New_York)`);
        const what = rest.join(' ').trim() || 'weekly';
        let cron: string;
        let label: string;
        if (what === 'daily' || what === 'weekly') {
          const m = AT.exec(v.at ?? '09:00');
          if (!m) return fail(`--at must be HH:MM (24-hour), e.g. 09:00, not "${echo(v.at)}"`);
          const [hh, mm] = [Number(m[1]), Number(m[2])];
          cron = what === 'daily' ? `${mm} ${hh} * * *` : `${mm} ${hh} * * 1`;
          label = `${what === 'daily' ? 'daily' : 'weekly on Monday'} at ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
        } else {
          if (v.at !== undefined) return fail('--at goes with daily or weekly; a cron expression carries its own time');
          if (!nodeCronEngine.validate(what)) return fail(`"${echo(what)}" is not a valid cron expression (minute hour day-of-month month day-of-week, e.g. "0 9 * * 1")`);
          if (!atMostHourly(what, tz)) return fail(`"${echo(what)}" fires more than once an hour; a digest can be at most hourly`);
          cron = what;
          label = `cron "${what}"`;
        }
        return { action: 'subscribe', cron, tz, filter: v.filter ?? null, label };
      }
      case 'list':
        only([]);
        if (rest.length) return fail('digest list takes no arguments');
        return { action: 'list' };
      case 'unsubscribe': {
        only([]);
        if (rest.length > 1) return fail('give one subscription id');
        if (rest[0] !== undefined && !/^\d{1,9}$/.test(rest[0])) return fail(`"${echo(rest[0])}" is not a subscription id (see digest list)`);
        return { action: 'unsubscribe', id: rest[0] === undefined ? null : Number(rest[0]) };
      }
      case 'now':
        only(['filter', 'days']);
        if (rest.length) return fail('digest now takes no positional arguments (use --filter)');
        return { action: 'now', filter: v.filter ?? null, days: v.days ?? 7 };
      default:
        return fail(`unknown digest action "${echo(action)}" (subscribe, list, unsubscribe, now)`);
    }
  });

function describe(s: Subscription, now: Date): string {
  return `#${s.id} ${scheduleLine(s.cron, s.tz, now)}${s.filter ? ` · pipelines matching ${s.filter}` : ''}`;
}


function registry(ctx: CommandContext) {
  if (!ctx.subscriptions || !ctx.channelId || ctx.surface === 'cli') {
    throw badUsage('Digest subscriptions live in a chat channel.', 'Run `/dlt digest subscribe weekly` in Slack or Teams; `digest now` works everywhere.');
  }
  return { reg: ctx.subscriptions, where: { surface: ctx.surface, channel: ctx.channelId } };
}

export const digest: Command<DigestArgs> = {
  meta: {
    name: 'digest',
    summary: 'Scheduled cost digest for this channel: spend vs the previous period, top pipelines, savings (guide §12).',
    usage: 'digest subscribe [daily|weekly|<cron>] [--at HH:MM] [--tz Area/City] [--filter <pattern|tag:k=v>] · digest list · digest unsubscribe [id] · digest now [--filter F] [--days N]',
    examples: [
      'digest subscribe weekly --at 09:00 --tz Europe/Berlin --filter orders_*',
      'digest subscribe "0 8 * * 1-5" --tz America/New_York',
      `digest subscribe daily --filter ${FILTER_EXAMPLES[1]}`,
      'digest now',
      'digest list',
      'digest unsubscribe 3',
    ],
  },
  args,
  async run(a, ctx): Promise<Reply> {
    switch (a.action) {
      case 'subscribe': {
        const { reg, where } = registry(ctx);
        // the same schedule, zone and filter twice would post every digest twice
        const same = (await reg.list(where)).find((s) => s.cron === a.cron && s.tz === a.tz && (s.filter ?? null) === a.filter);
        if (same) throw badUsage(`This channel already has that digest: ${describe(same, ctx.now())}.`, `See \`digest list\`; \`digest unsubscribe ${same.id}\` stops it.`);
        const sub = await reg.add({ ...where, cron: a.cron, tz: a.tz, filter: a.filter, createdBy: ctx.userId ?? null, slack: ctx.surface === 'slack' ? (ctx.slackInstallation ?? null) : null });
        const what = `a cost digest ${scheduleLine(sub.cron, sub.tz, ctx.now())}${a.filter ? ` for pipelines matching ${a.filter}` : ''}`;
        return {
          kind: 'text',
          text: `Subscribed this channel to ${what}. Subscription #${sub.id}; \`digest unsubscribe ${sub.id}\` stops it.`,
          announce: { by: ctx.userId ?? null, text: `subscribed this channel to ${what} (#${sub.id}).` },
        };
      }
      case 'list': {
        const { reg, where } = registry(ctx);
        const subs = await reg.list(where);
        const now = ctx.now();
        return { kind: 'text', text: subs.length ? `Digest subscriptions in this channel:\n${subs.map((x) => describe(x, now)).join('\n')}` : 'No digest subscriptions in this channel. Try `digest subscribe weekly`.' };
      }
      case 'unsubscribe': {
        const { reg, where } = registry(ctx);
        let id = a.id;
        if (id === null) {
          const subs = await reg.list(where);
          if (subs.length !== 1) {
            throw badUsage(subs.length === 0 ? 'No digest subscriptions in this channel.' : 'This channel has several digest subscriptions: give the id.', subs.map((x) => describe(x, ctx.now())).join('; ') || undefined);
          }
          id = subs[0]!.id;
        }
        const gone = (await reg.list(where)).find((x) => x.id === id);
        const ok = await reg.remove(id, where);
        if (!ok) throw badUsage(`No digest subscription #${id} in this channel.`, 'See `digest list`.');
        const what = gone ? `the cost digest ${scheduleInWords(gone.cron)} (${gone.tz})${gone.filter ? ` for pipelines matching ${gone.filter}` : ''}` : `digest #${id}`;
        return { kind: 'text', text: `Unsubscribed digest #${id}.`, announce: { by: ctx.userId ?? null, text: `unsubscribed this channel from ${what} (#${id}).` } };
      }
      case 'now': {
        const backend = await resolveCostBackend(ctx);
        const filter = a.filter === null ? null : parseFilter(a.filter);
        const pipelines = await backend.listPipelines();
        const d = await computeDigest(backend.warehouse, pipelines, { ...periodOfDays(ctx.now(), a.days), filter: filter?.ok ? filter.filter : null, applied: await appliedChangesOf(ctx) });
        return { kind: 'digest', digest: d, note: null, subscription: null };
      }
    }
  },
};
