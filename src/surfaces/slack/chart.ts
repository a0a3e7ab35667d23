/**
 * Uploads the charts (drawn in src/charts/, surface-neutral) into a Slack thread with
 * files.uploadV2 (files:write). In a public channel the bot is not in: joins it and uploads once
 * more (channel-join.ts); a channel it cannot join is a NotInChannelError.
 */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../../commands/types.js';
import { diagnosisChartPng } from '../../charts/diagnosis.js';
import { digestChartPng, digestChartSeries, hasDigestChart } from '../../charts/cost.js';
import type { Digest } from '../../digest/types.js';
import { uploadJoiningChannel, type JoinClient } from './channel-join.js';
import { experimentChartPng } from '../../charts/experiment.js';
import type { ExperimentOutcome } from '../../experiment/types.js';

type DiagnosisReply = Extract<Reply, { kind: 'diagnosis' }>;

/** The part of WebClient the uploads need; conversations to join a public channel the bot is not in. */
export type FilesClient = Pick<webApi.WebClient, 'files'> & JoinClient;

/** One PNG into `channel`, in the thread of `threadTs` when given (else the channel itself). */
async function uploadPng(client: FilesClient, where: { channel: string; threadTs?: string | null }, png: { file: Buffer; filename: string; title: string; alt_text: string }): Promise<void> {
  await uploadJoiningChannel(client, where.channel, () =>
    client.files.uploadV2({
      channel_id: where.channel,
      // uploadV2's types want a thread_ts; undefined posts to the channel itself
      thread_ts: (where.threadTs ?? undefined) as string,
      ...png,
    }),
  );
}

/** The diagnosis chart, in the thread of `threadTs` when given. */
export async function uploadChart(client: FilesClient, reply: DiagnosisReply, where: { channel: string; threadTs?: string }): Promise<void> {
  const d = reply.diagnosis;
  await uploadPng(client, where, {
    file: diagnosisChartPng(reply),
    filename: `${d.pipeline.name}-${d.update.id}.png`.replace(/[^\w.-]+/g, '_'),
    title: `${d.pipeline.name}: phases and last ${reply.durations.slice(-20).length} durations`,
    alt_text: `Phase timeline of update ${d.update.id} and the last durations of ${d.pipeline.name} against the baseline median`,
  });
}

/**
 * The cost chart of a `digest` or `cost` reply, in the thread of `threadTs`. Returns false (and
 * uploads nothing) for other replies and for digests with nothing to draw.
 */
export async function uploadDigestChart(client: FilesClient, reply: { kind: string; digest?: Digest }, where: { channel: string; threadTs?: string | null }): Promise<boolean> {
  if ((reply.kind !== 'digest' && reply.kind !== 'cost') || !reply.digest || !hasDigestChart(reply.digest)) return false;
  const d = reply.digest;
  const { days, series } = digestChartSeries(d);
  await uploadPng(client, where, {
    file: digestChartPng(d),
    filename: `digest-${days[0]}-${days[days.length - 1]}.png`,
    title: `Daily spend, top ${series.length} pipelines`,
    alt_text: `Daily list-price spend from ${days[0]} to ${days[days.length - 1]} of ${series.map((s) => s.name).join(', ')}`,
  });
  return true;
}

/** The throughput-per-run chart of a finished benchmark / A/B test, in the thread of `threadTs`. */
export async function uploadExperimentChart(client: FilesClient, outcome: ExperimentOutcome, where: { channel: string; threadTs?: string | null }): Promise<void> {
  if (!outcome.result || (outcome.result.schema === 'dlt-doctor/benchmark@1' ? outcome.result.iterations.length : outcome.result.results_a.iterations.length + outcome.result.results_b.iterations.length) === 0) return;
  await uploadPng(client, where, {
    file: experimentChartPng(outcome),
    filename: `${outcome.result.pipeline_name}-${outcome.experimentId}.png`.replace(/[^\w.-]+/g, '_'),
    title: `${outcome.result.pipeline_name}: throughput per run`,
    alt_text: `Throughput in records per second of each run of experiment ${outcome.experimentId}`,
  });
}
