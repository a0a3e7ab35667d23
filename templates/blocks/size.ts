/** Block Kit for `size`: the guide's sizing formula (§3.2, §7.2) against the current settings. */
import type { Reply } from '../../commands/types.js';
import type { Block, SlackPayload } from './types.js';
import { context, esc, header, num, section } from './format.js';

export type SizeReply = Extract<Reply, { kind: 'size' }>;

export function renderSize(reply: SizeReply): SlackPayload {
  const { input, size, partitions, current } = reply;
  const subject = input.pipeline ? input.pipeline : `${num(input.gb)} GB`;
  const blocks: Block[] = [header(`Sizing for ${subject}`)];
  blocks.push(section(`Data volume *${num(input.gb)} GB*, complexity factor *${num(input.complexity)}* (guide §3.2)`, [
    `*Workers*: min ${size.min_workers} · recommended ${size.recommended_workers} · max ${size.max_workers}`,
    `*Memory per worker*: ${num(size.memory_per_worker_gb)} GB`,
    `*Instance*: ${esc(size.instance_recommendation)}`,
    `*Shuffle partitions*: ${num(partitions)} (guide §7.2, 256 MB each)`,
  ]));
  if (current) {
    const fields = [
      `*Current min workers*: ${current.minWorkers ?? 'n/a'}`,
      `*Current max workers*: ${current.maxWorkers ?? 'n/a'}`,
      `*Measured CPU (mean)*: ${current.cpuAvg === null ? 'n/a' : `${num(current.cpuAvg)}%`}`,
    ];
    blocks.push(section('*Current settings*', fields));
    if (current.maxWorkers !== null && current.maxWorkers < size.max_workers) {
      blocks.push(context(`max_workers ${current.maxWorkers} is below the formula's ${size.max_workers}.`));
    }
  }
  const text = `Sizing for ${subject}: ${size.min_workers}-${size.max_workers} workers (recommended ${size.recommended_workers}), ${size.memory_per_worker_gb} GB per worker, ${size.instance_recommendation}, ${partitions} shuffle partitions`;
  return { text, blocks };
}
