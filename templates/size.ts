import type { Reply } from '../commands/types.js';
import { DEFAULT_TEXT_OPTIONS, formatNumber, paint, type TextOptions, wrap } from './format.js';

type SizeReply = Extract<Reply, { kind: 'size' }>;

export function toText(reply: SizeReply, o: TextOptions = DEFAULT_TEXT_OPTIONS): string {
  const { input, size, partitions, current } = reply;
  const W = o.width;
  const out: string[] = [];
  const forWhat = input.pipeline ? `${input.pipeline}: ` : '';
  out.push(paint(`${forWhat}cluster size for ${formatNumber(input.gb, 2)} GB/day, complexity ${formatNumber(input.complexity, 2)} (guide 3.2)`, 'bold', o.color));
  out.push(`  recommended workers  ${size.recommended_workers}`);
  out.push(`  autoscale            min ${size.min_workers}, max ${size.max_workers}`);
  out.push(`  memory per worker    ${formatNumber(size.memory_per_worker_gb, 2)} GB`);
  out.push(...wrap(`instance             ${size.instance_recommendation}`, W, ' '.repeat(23), '  '));
  out.push(`  partitions           ${formatNumber(partitions)} at 256 MB each (guide 7.2)`);
  if (current) {
    out.push('', paint('Current', 'bold', o.color));
    const bounds = current.minWorkers === null ? 'unknown (serverless or no cluster spec)' : `min ${current.minWorkers}, max ${current.maxWorkers ?? '—'}`;
    out.push(...wrap(`workers              ${bounds}`, W, ' '.repeat(23), '  '));
    out.push(`  measured CPU         ${current.cpuAvg === null ? 'no node metrics' : `${formatNumber(current.cpuAvg)}% mean on workers (target 70–85%)`}`);
    if (current.maxWorkers !== null && current.maxWorkers < size.max_workers) {
      out.push(...wrap(`max workers ${current.maxWorkers} is below the formula's ${size.max_workers}.`, W, '  ', '  '));
    }
  }
  return out.join('\n');
}
