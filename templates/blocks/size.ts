/** Block Kit for `size`: the guide's sizing formula (§3.2, §7.2) joined with the measured load. */
import type { Reply } from '../../commands/types.js';
import { adviceSummary, departsWords, nodeWords, savingsWords, verdictWords, workersWords } from '../size-words.js';
import type { Block, SlackPayload } from './types.js';
import { SLACK_LIMITS } from './limits.js';
import { context, esc, fallbackText, header, num, section, truncate } from './format.js';

export type SizeReply = Extract<Reply, { kind: 'size' }>;

const text = (s: string) => truncate(s, SLACK_LIMITS.sectionText);
const field = (s: string) => truncate(s, SLACK_LIMITS.fieldText);

export function renderSize(reply: SizeReply): SlackPayload {
  const { input, size, partitions, current } = reply;
  const advice = reply.advice ?? null;
  const flags = reply.flags ?? [];
  const subject = input.pipeline ? input.pipeline : `${num(input.gb)} GB`;
  const blocks: Block[] = [header(`Sizing for ${subject}`)];

  if (advice?.compute === 'serverless' && advice.serverless) {
    const s = advice.serverless;
    blocks.push(section(text(`*Serverless: no worker sizing.* ${esc(s.reason)}`)));
    blocks.push(section(text(`*What you can choose*\n${s.options.map((o) => `• ${esc(o)}`).join('\n')}`)));
    blocks.push(context(...s.docs.map((u) => `<${u}|${esc(u.replace(/^https:\/\//, ''))}>`)));
    blocks.push(context(`Shuffle partitions: ${num(partitions)} for ${num(input.gb)} GB (guide §7.2, 256 MB each)`));
    return { text: fallbackText(truncate(`Sizing for ${subject}: serverless, Databricks sizes the compute (no worker sizing)`, SLACK_LIMITS.fallbackText)), blocks };
  }

  if (advice) {
    const lines: string[] = [`*Advice* (verdict: ${esc(verdictWords(advice))})`];
    if (advice.workers) lines.push(`*Workers*: ${esc(workersWords(advice.workers, current))}${esc(departsWords(advice.workers, size.recommended_workers))}\n${esc(advice.workers.reason)}`);
    if (advice.node) lines.push(`*Node type*: ${esc(nodeWords(advice.node, size.instance_recommendation))}\n${esc(advice.node.reason)}`);
    if (advice.driver) lines.push(`*Driver*: ${esc(advice.driver.nodeType ? `use ${advice.driver.nodeType}` : 'more driver memory')}\n${esc(advice.driver.reason)}`);
    if (advice.savings) lines.push(`*Savings*: ${esc(savingsWords(advice.savings))}`);
    blocks.push(section(text(lines.join('\n\n'))));
    if (advice.notes.length) blocks.push(context(...advice.notes.slice(0, SLACK_LIMITS.contextElements).map((n) => truncate(esc(n), SLACK_LIMITS.fieldText))));
  }

  const flagged = flags.some((f) => f.subject === 'formula') ? ' :warning:' : '';
  blocks.push(section(`${advice ? '*Formula* · d' : 'D'}ata volume *${num(input.gb)} GB*, complexity factor *${num(input.complexity)}* (guide §3.2)`, [
    `*Workers*: min ${size.min_workers} · recommended ${size.recommended_workers} · max ${size.max_workers}${flagged}`,
    `*Memory per worker*: ${num(size.memory_per_worker_gb)} GB`,
    field(`*Instance*: ${esc(size.instance_recommendation)}`),
    `*Shuffle partitions*: ${num(partitions)} (guide §7.2, 256 MB each)`,
  ]));
  if (current) {
    const fields = [
      `*Current min workers*: ${current.minWorkers ?? 'n/a'}`,
      `*Current max workers*: ${current.maxWorkers ?? 'n/a'}`,
      `*Measured CPU (mean, after warm-up)*: ${current.cpuAvg === null ? 'n/a' : `${num(current.cpuAvg)}%`}`,
    ];
    blocks.push(section('*Current settings*', fields));
    if (!advice && current.maxWorkers !== null && current.maxWorkers < size.max_workers) {
      blocks.push(context(`max_workers ${current.maxWorkers} is below the formula's ${size.max_workers}.`));
    }
  }
  if (flags.length) blocks.push(context(...flags.slice(0, SLACK_LIMITS.contextElements).map((f) => truncate(`:warning: ${esc(f.message)}`, SLACK_LIMITS.fieldText))));

  const summary = adviceSummary(reply);
  const formulaText = `${size.min_workers}-${size.max_workers} workers (recommended ${size.recommended_workers}), ${size.memory_per_worker_gb} GB per worker, ${size.instance_recommendation}, ${partitions} shuffle partitions`;
  const fallback = summary
    ? `Sizing for ${subject}: ${summary} (formula: ${formulaText})`
    : `Sizing for ${subject}: ${formulaText}${flags.length ? ` (flagged: ${flags[0]!.message})` : ''}`;
  return { text: fallbackText(truncate(fallback, SLACK_LIMITS.fallbackText)), blocks };
}
