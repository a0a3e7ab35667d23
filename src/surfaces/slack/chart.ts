/**
 * The diagnosis chart: the update's phase timeline (top) and the last 20 update durations against
 * the baseline median (bottom). Hand-written SVG rendered to PNG by src/charts/svg.ts.
 */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../../commands/types.js';
import { svgText as text, svgToPng } from '../../charts/svg.js';
import { PHASES } from '../../diagnosis/evidence.js';
import { uploadJoiningChannel, type JoinClient } from './channel-join.js';

type DiagnosisReply = Extract<Reply, { kind: 'diagnosis' }>;

const W = 800;
const H = 420;
const PHASE_COLORS: Record<string, string> = {
  queued: '#9e9e9e',
  created: '#bdbdbd',
  waiting_for_resources: '#ef6c00',
  initializing: '#8e24aa',
  resetting: '#6d4c41',
  setting_up_tables: '#3949ab',
  running: '#2e7d32',
  stopping: '#757575',
};

function short(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}

export function chartSvg(reply: DiagnosisReply): string {
  const d = reply.diagnosis;
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="#ffffff"/>`];
  parts.push(text(20, 28, `${d.pipeline.name} · update ${d.update.id}`, { size: 16, weight: 'bold' }));

  // phase timeline: one stacked bar, widths proportional to seconds
  const phases = [...PHASES.filter((p) => (d.update.phases_s[p] ?? 0) > 0), ...Object.keys(d.update.phases_s).filter((p) => !(PHASES as readonly string[]).includes(p) && (d.update.phases_s[p] ?? 0) > 0)];
  const total = phases.reduce((n, p) => n + (d.update.phases_s[p] ?? 0), 0);
  const barX = 20;
  const barW = W - 40;
  parts.push(text(20, 56, 'Phases', { size: 13, weight: 'bold' }));
  let x = barX;
  phases.forEach((p, i) => {
    const s = d.update.phases_s[p] ?? 0;
    const w = total > 0 ? (s / total) * barW : 0;
    parts.push(`<rect x="${x.toFixed(1)}" y="64" width="${Math.max(0.5, w).toFixed(1)}" height="28" fill="${PHASE_COLORS[p] ?? '#607d8b'}"/>`);
    if (w > 60) parts.push(text(x + w / 2, 83, short(s), { anchor: 'middle', fill: '#ffffff' }));
    const lx = 20 + (i % 4) * 190;
    const ly = 112 + Math.floor(i / 4) * 18;
    parts.push(`<rect x="${lx}" y="${ly - 10}" width="10" height="10" fill="${PHASE_COLORS[p] ?? '#607d8b'}"/>`);
    parts.push(text(lx + 14, ly, `${p.replace(/_/g, ' ')} ${short(s)}`, { size: 11 }));
    x += w;
  });
  if (!phases.length) parts.push(text(20, 84, 'no phase timings in the event log', { fill: '#757575' }));

  // last 20 durations vs the baseline median
  const runs = reply.durations.slice(-20);
  const top = 170;
  const bottom = H - 40;
  const chartH = bottom - top;
  const median = d.baseline?.median_duration_s ?? null;
  const max = Math.max(1, median ?? 0, ...runs.map((r) => r.durationS)) * 1.1;
  parts.push(text(20, top - 8, `Last ${runs.length} updates${median ? ` vs baseline median ${short(median)}` : ''}`, { size: 13, weight: 'bold' }));
  parts.push(`<line x1="60" y1="${bottom}" x2="${W - 20}" y2="${bottom}" stroke="#9e9e9e"/>`);
  parts.push(text(55, bottom, '0', { anchor: 'end', size: 10 }));
  parts.push(text(55, top + 10, short(max), { anchor: 'end', size: 10 }));
  const slot = runs.length ? (W - 80) / runs.length : 0;
  runs.forEach((r, i) => {
    const h = (r.durationS / max) * chartH;
    const current = r.updateId === d.update.id;
    const fill = current ? '#c62828' : median !== null && r.durationS > median * 1.5 ? '#ef9a9a' : '#90caf9';
    parts.push(`<rect x="${(64 + i * slot).toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${Math.max(1, slot - 6).toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"/>`);
    if (current) parts.push(text(64 + i * slot + (slot - 6) / 2, bottom - h - 4, short(r.durationS), { anchor: 'middle', size: 10, fill: '#c62828' }));
  });
  if (median !== null) {
    const y = bottom - (median / max) * chartH;
    parts.push(`<line x1="60" y1="${y.toFixed(1)}" x2="${W - 20}" y2="${y.toFixed(1)}" stroke="#424242" stroke-dasharray="6 4"/>`);
    parts.push(text(W - 22, y - 4, `median ${short(median)}`, { anchor: 'end', size: 10 }));
  }
  if (!runs.length) parts.push(text(W / 2, top + chartH / 2, 'no update history', { anchor: 'middle', fill: '#757575' }));
  parts.push(text(20, H - 14, 'oldest → newest; red = this update', { size: 10, fill: '#757575' }));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}

export function chartPng(reply: DiagnosisReply): Buffer {
  return svgToPng(chartSvg(reply));
}

/** The part of WebClient the upload needs; conversations to join a public channel the bot is not in. */
export type FilesClient = Pick<webApi.WebClient, 'files'> & JoinClient;

/**
 * Uploads the chart into the channel, in the thread of `threadTs` when given (needs files:write).
 * In a public channel the bot is not in: joins it and uploads once more (channel-join.ts); a
 * channel it cannot join is a NotInChannelError.
 */
export async function uploadChart(client: FilesClient, reply: DiagnosisReply, where: { channel: string; threadTs?: string }): Promise<void> {
  const d = reply.diagnosis;
  const file = chartPng(reply);
  await uploadJoiningChannel(client, where.channel, () =>
    client.files.uploadV2({
      channel_id: where.channel,
      thread_ts: where.threadTs as string,
      file,
      filename: `${d.pipeline.name}-${d.update.id}.png`.replace(/[^\w.-]+/g, '_'),
      title: `${d.pipeline.name}: phases and last ${reply.durations.slice(-20).length} durations`,
      alt_text: `Phase timeline of update ${d.update.id} and the last durations of ${d.pipeline.name} against the baseline median`,
    }),
  );
}
