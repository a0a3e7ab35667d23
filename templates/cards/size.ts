/** Adaptive Card for `size`: the guide's sizing formula (§3.2, §7.2) joined with the measured load. */
import type { Reply } from '../../commands/types.js';
import { num } from '../blocks/format.js';
import { adviceSummary, departsWords, nodeWords, savingsWords, verdictWords, workersWords } from '../size-words.js';
import { card, facts, heading, line, plain, rt, section, subtle, text } from './format.js';
import type { AdaptiveCard, CardElement } from './types.js';

export type SizeReply = Extract<Reply, { kind: 'size' }>;

export function toAdaptiveCard(reply: SizeReply): AdaptiveCard {
  const { input, size, partitions, current } = reply;
  const advice = reply.advice ?? null;
  const flags = reply.flags ?? [];
  const subject = input.pipeline ? input.pipeline : `${num(input.gb)} GB`;
  const body: CardElement[] = [heading(`Sizing for ${subject}`)];

  if (advice?.compute === 'serverless' && advice.serverless) {
    const s = advice.serverless;
    body.push(line(rt`**Serverless: no worker sizing.** ${s.reason}`));
    body.push(section([text('**What you can choose**'), ...s.options.map((o) => plain(`• ${o}`, { spacing: 'small' })), ...s.docs.map((u) => subtle(u))]));
    body.push(subtle(`Shuffle partitions: ${num(partitions)} for ${num(input.gb)} GB (guide §7.2, 256 MB each)`));
    return card(body, `Sizing for ${subject}: serverless, Databricks sizes the compute (no worker sizing)`);
  }

  if (advice) {
    const items: CardElement[] = [line(rt`**Advice** (verdict: ${verdictWords(advice)})`)];
    const list: { title: string; value: string; why: string | null }[] = [];
    if (advice.workers) list.push({ title: 'Workers', value: `${workersWords(advice.workers, current)}${departsWords(advice.workers, size.recommended_workers)}`, why: advice.workers.reason });
    if (advice.node) list.push({ title: 'Node type', value: nodeWords(advice.node, size.instance_recommendation), why: advice.node.reason });
    if (advice.driver) list.push({ title: 'Driver', value: advice.driver.nodeType ? `use ${advice.driver.nodeType}` : 'more driver memory', why: advice.driver.reason });
    if (advice.savings) list.push({ title: 'Savings', value: savingsWords(advice.savings), why: null });
    items.push(facts(list.map((l) => ({ title: l.title, value: l.value }))));
    for (const l of list) if (l.why) items.push(line(rt`**${l.title}**: ${l.why}`, { spacing: 'small' }));
    for (const n of advice.notes) items.push(subtle(n));
    body.push(section(items));
  }

  const flagged = flags.some((f) => f.subject === 'formula') ? ' (flagged, see below)' : '';
  body.push(line([...(advice ? rt`**Formula** · d` : rt`D`), ...rt`ata volume **${num(input.gb)} GB**, complexity factor **${num(input.complexity)}** (guide §3.2)`]));
  body.push(facts([
    { title: 'Workers', value: `min ${size.min_workers} · recommended ${size.recommended_workers} · max ${size.max_workers}${flagged}` },
    { title: 'Memory per worker', value: `${num(size.memory_per_worker_gb)} GB` },
    { title: 'Instance', value: size.instance_recommendation },
    { title: 'Shuffle partitions', value: `${num(partitions)} (guide §7.2, 256 MB each)` },
  ]));
  if (current) {
    body.push(section([text('**Current settings**'), facts([
      { title: 'Current min workers', value: String(current.minWorkers ?? 'n/a') },
      { title: 'Current max workers', value: String(current.maxWorkers ?? 'n/a') },
      { title: 'Measured CPU (mean, after warm-up)', value: current.cpuAvg === null ? 'n/a' : `${num(current.cpuAvg)}%` },
    ])]));
    if (!advice && current.maxWorkers !== null && current.maxWorkers < size.max_workers) body.push(subtle(`max_workers ${current.maxWorkers} is below the formula's ${size.max_workers}.`));
  }
  for (const f of flags) body.push(plain(`⚠ ${f.message}`, { color: 'warning', spacing: 'small' }));

  const summary = adviceSummary(reply);
  const formulaText = `${size.min_workers}-${size.max_workers} workers (recommended ${size.recommended_workers}), ${size.memory_per_worker_gb} GB per worker, ${size.instance_recommendation}, ${partitions} shuffle partitions`;
  const fallback = summary
    ? `Sizing for ${subject}: ${summary} (formula: ${formulaText})`
    : `Sizing for ${subject}: ${formulaText}${flags.length ? ` (flagged: ${flags[0]!.message})` : ''}`;
  return card(body, fallback);
}
