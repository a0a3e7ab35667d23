import type { Reply } from '../commands/types.js';
import { DEFAULT_TEXT_OPTIONS, formatNumber, paint, type TextOptions, wrap } from './format.js';
import { departsWords, nodeWords, savingsWords, verdictWords, workersWords } from './size-words.js';

type SizeReply = Extract<Reply, { kind: 'size' }>;

const COL = ' '.repeat(23);

export function toText(reply: SizeReply, o: TextOptions = DEFAULT_TEXT_OPTIONS): string {
  const { input, size, partitions, current } = reply;
  const advice = reply.advice ?? null;
  const flags = reply.flags ?? [];
  const W = o.width;
  const out: string[] = [];
  const row = (label: string, value: string) => out.push(...wrap(`${label.padEnd(21)}${value}`, W, COL, '  '));
  const because = (text: string) => out.push(...wrap(text, W, COL, COL));
  const forWhat = input.pipeline ? `${input.pipeline}: ` : '';
  const title = (t: string) => out.push(...wrap(t, W, '  ', '').map((l) => paint(l, 'bold', o.color)));

  if (advice?.compute === 'serverless' && advice.serverless) {
    title(`${forWhat}serverless — no worker sizing`);
    out.push(...wrap(advice.serverless.reason, W, '  ', '  '));
    out.push('', paint('What you can choose', 'bold', o.color));
    for (const opt of advice.serverless.options) out.push(...wrap(`- ${opt}`, W, '    ', '  '));
    for (const url of advice.serverless.docs) out.push(...wrap(`see ${url}`, W, '    ', '  '));
    out.push('');
    row('partitions', `${formatNumber(partitions)} at 256 MB each for ${formatNumber(input.gb, 2)} GB (guide 7.2)`);
    return out.join('\n');
  }

  if (advice) {
    title(`${forWhat}sizing from the guide's formula (3.2) and the measured load`);
    out.push(...wrap(`verdict: ${verdictWords(advice)} (why-slow)`, W, '  ', '  '));
    out.push('', paint('Advice', 'bold', o.color));
    if (advice.workers) {
      row('workers', `${workersWords(advice.workers, current)}${departsWords(advice.workers, size.recommended_workers)}`);
      because(advice.workers.reason);
    }
    if (advice.node) {
      row('node type', nodeWords(advice.node, size.instance_recommendation));
      because(advice.node.reason);
    }
    if (advice.driver) {
      row('driver', advice.driver.nodeType ? `use ${advice.driver.nodeType}` : 'more driver memory');
      because(advice.driver.reason);
    }
    if (advice.savings) row('savings', savingsWords(advice.savings));
    for (const n of advice.notes) row('note', n);
    out.push('');
  }

  title(`${advice ? 'Formula: ' : forWhat}cluster size for ${formatNumber(input.gb, 2)} GB/day, complexity ${formatNumber(input.complexity, 2)} (guide 3.2)`);
  const flagged = flags.some((f) => f.subject === 'formula') ? '  (flagged: see below)' : '';
  row('recommended workers', `${size.recommended_workers}${flagged}`);
  row('autoscale', `min ${size.min_workers}, max ${size.max_workers}`);
  row('memory per worker', `${formatNumber(size.memory_per_worker_gb, 2)} GB`);
  row('instance', size.instance_recommendation);
  row('partitions', `${formatNumber(partitions)} at 256 MB each (guide 7.2)`);
  if (current) {
    out.push('', paint('Current', 'bold', o.color));
    const bounds = current.minWorkers === null ? 'unknown (no update cluster in the spec)' : `min ${current.minWorkers}, max ${current.maxWorkers ?? '—'}`;
    row('workers', bounds);
    row('measured CPU', current.cpuAvg === null ? 'no node metrics' : `${formatNumber(current.cpuAvg)}% mean on workers after warm-up (target 70–85%)`);
    if (!advice && current.maxWorkers !== null && current.maxWorkers < size.max_workers) {
      out.push(...wrap(`max workers ${current.maxWorkers} is below the formula's ${size.max_workers}.`, W, '  ', '  '));
    }
  }
  if (flags.length) {
    out.push('');
    for (const f of flags) out.push(...wrap(`! ${f.message}`, W, '    ', '  ').map((l, i) => (i === 0 ? paint(l, 'yellow', o.color) : l)));
  }
  return out.join('\n');
}
