/** Adaptive Card for `size`: the guide's sizing formula (§3.2, §7.2) against the current settings. */
import type { Reply } from '../../commands/types.js';
import { num } from '../blocks/format.js';
import { card, facts, heading, section, subtle, text } from './format.js';
import type { AdaptiveCard, CardElement } from './types.js';

export type SizeReply = Extract<Reply, { kind: 'size' }>;

export function toAdaptiveCard(reply: SizeReply): AdaptiveCard {
  const { input, size, partitions, current } = reply;
  const subject = input.pipeline ? input.pipeline : `${num(input.gb)} GB`;
  const body: CardElement[] = [heading(`Sizing for ${subject}`), text(`Data volume **${num(input.gb)} GB**, complexity factor **${num(input.complexity)}** (guide §3.2)`)];
  body.push(facts([
    { title: 'Workers', value: `min ${size.min_workers} · recommended ${size.recommended_workers} · max ${size.max_workers}` },
    { title: 'Memory per worker', value: `${num(size.memory_per_worker_gb)} GB` },
    { title: 'Instance', value: size.instance_recommendation },
    { title: 'Shuffle partitions', value: `${num(partitions)} (guide §7.2, 256 MB each)` },
  ]));
  if (current) {
    body.push(section([text('**Current settings**'), facts([
      { title: 'Current min workers', value: String(current.minWorkers ?? 'n/a') },
      { title: 'Current max workers', value: String(current.maxWorkers ?? 'n/a') },
      { title: 'Measured CPU (mean)', value: current.cpuAvg === null ? 'n/a' : `${num(current.cpuAvg)}%` },
    ])]));
    if (current.maxWorkers !== null && current.maxWorkers < size.max_workers) body.push(subtle(`max_workers ${current.maxWorkers} is below the formula's ${size.max_workers}.`));
  }
  const fallback = `Sizing for ${subject}: ${size.min_workers}-${size.max_workers} workers (recommended ${size.recommended_workers}), ${size.memory_per_worker_gb} GB per worker, ${size.instance_recommendation}, ${partitions} shuffle partitions`;
  return card(body, fallback);
}
