/**
 * The digest chart: daily list-price spend of the top pipelines (one line each) over the digest
 * period, uploaded into the digest's thread. Hand-written SVG → PNG by src/charts/svg.ts.
 */
import type { webApi } from '@slack/bolt';
import { svgText as text, svgToPng, xml } from '../charts/svg.js';
import type { Digest } from './types.js';
import { uploadJoiningChannel, type JoinClient } from '../surfaces/slack/channel-join.js';

const W = 800;
const H = 420;
const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a'];
const TOP = 5;

function dollars(v: number): string {
  if (v >= 10_000) return `$${Math.round(v / 1000)}k`;
  if (v >= 1000) return `$${(v / 1000).toFixed(1)}k`;
  return `$${v >= 100 ? Math.round(v) : v.toFixed(v >= 10 ? 0 : 2).replace(/\.00$/, '')}`;
}

/** A round axis maximum ≥ `max` (1, 2, 2.5, 3, 4 or 5 × 10^n) so the gridlines fall on readable values. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 2.5, 3, 4, 5, 10].find((m) => m * p >= max) ?? 10) * p;
}

/** The top pipelines' daily series (at most five), or none when there is nothing to draw. */
export function digestChartSeries(digest: Digest): { days: string[]; series: { name: string; dollars: number[]; total: number }[] } {
  const days = digest.daily.map((d) => d.day);
  const series = (digest.topDaily ?? [])
    .slice(0, TOP)
    .map((t) => ({ name: t.name, dollars: t.dollars, total: t.dollars.reduce((s, v) => s + v, 0) }))
    .filter((t) => t.dollars.length === days.length && t.total > 0);
  return { days, series };
}

/** True when the digest has at least two days and one pipeline with spend: a chart worth posting. */
export function hasDigestChart(digest: Digest): boolean {
  const { days, series } = digestChartSeries(digest);
  return days.length >= 2 && series.length > 0;
}

export function digestChartSvg(digest: Digest): string {
  const { days, series } = digestChartSeries(digest);
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="#ffffff"/>`];
  const first = days[0] ?? digest.period.start.slice(0, 10);
  const last = days[days.length - 1] ?? digest.period.end.slice(0, 10);
  parts.push(text(20, 28, `Daily spend of the top ${series.length} pipeline${series.length === 1 ? '' : 's'} · ${first} … ${last}`, { size: 16, weight: 'bold' }));

  const left = 70;
  const right = W - 20;
  const top = 50;
  const bottom = H - 110;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.dollars)));
  const y = (v: number) => bottom - (v / max) * (bottom - top);
  const x = (i: number) => (days.length <= 1 ? (left + right) / 2 : left + (i / (days.length - 1)) * (right - left));

  for (let g = 0; g <= 4; g++) {
    const v = (max * g) / 4;
    parts.push(`<line x1="${left}" y1="${y(v).toFixed(1)}" x2="${right}" y2="${y(v).toFixed(1)}" stroke="${g === 0 ? '#9e9e9e' : '#eeeeee'}"/>`);
    parts.push(text(left - 6, y(v) + 4, dollars(v), { anchor: 'end', size: 10, fill: '#616161' }));
  }
  // at most ~10 day labels, always the first and last
  const every = Math.max(1, Math.ceil(days.length / 10));
  days.forEach((d, i) => {
    if (i % every === 0 || i === days.length - 1) parts.push(text(x(i), bottom + 16, d.slice(5), { anchor: 'middle', size: 10, fill: '#616161' }));
  });

  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length]!;
    const points = s.dollars.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round"><title>${xml(s.name)}</title></polyline>`);
    if (days.length <= 31) s.dollars.forEach((v, i) => parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${color}"/>`));
    // legend: two columns under the chart, highest spend first
    const lx = 20 + (k % 2) * 390;
    const ly = bottom + 44 + Math.floor(k / 2) * 20;
    parts.push(`<rect x="${lx}" y="${ly - 10}" width="14" height="4" fill="${color}"/>`);
    parts.push(text(lx + 20, ly - 4, `${s.name.length > 40 ? `${s.name.slice(0, 39)}…` : s.name}  ${dollars(s.total)}`, { size: 12 }));
  });
  if (!series.length) parts.push(text(W / 2, (top + bottom) / 2, 'no pipeline spend in this period', { anchor: 'middle', fill: '#757575' }));
  parts.push(text(20, H - 12, 'list-price dollars per UTC day (system.billing); the legend gives each pipeline’s period total', { size: 10, fill: '#757575' }));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}

export function digestChartPng(digest: Digest): Buffer {
  return svgToPng(digestChartSvg(digest));
}

/** The part of a Slack WebClient the upload needs (files:write). */
/** conversations: to join a public channel the bot is not in (surfaces/slack/channel-join.ts) */
export type DigestChartClient = Pick<webApi.WebClient, 'files'> & JoinClient;

/**
 * Uploads the chart of a `digest` or `cost` reply into `channel`, in the thread of `threadTs`.
 * Returns false (and uploads nothing) for other replies and for digests with nothing to draw.
 */
export async function uploadDigestChart(client: DigestChartClient, reply: { kind: string; digest?: Digest }, where: { channel: string; threadTs?: string | null }): Promise<boolean> {
  if ((reply.kind !== 'digest' && reply.kind !== 'cost') || !reply.digest || !hasDigestChart(reply.digest)) return false;
  const d = reply.digest;
  const { days, series } = digestChartSeries(d);
  const file = digestChartPng(d);
  await uploadJoiningChannel(client, where.channel, () =>
    client.files.uploadV2({
      channel_id: where.channel,
      // uploadV2's types want a thread_ts; undefined posts to the channel itself
      thread_ts: (where.threadTs ?? undefined) as string,
      file,
      filename: `digest-${days[0]}-${days[days.length - 1]}.png`,
      title: `Daily spend, top ${series.length} pipelines`,
      alt_text: `Daily list-price spend from ${days[0]} to ${days[days.length - 1]} of ${series.map((s) => s.name).join(', ')}`,
    }),
  );
  return true;
}
