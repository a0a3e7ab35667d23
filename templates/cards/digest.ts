/** Adaptive Cards for the cost digest (`digest now`, scheduled digests) and `cost [pipeline]`. */
import type { Reply } from '../../commands/types.js';
import type { Digest } from '../../src/digest/types.js';
import { num } from '../blocks/format.js';
import { card, facts, heading, plainFacts, line, plain, rt, section, subtle, subtleLine, text } from './format.js';
import type { AdaptiveCard, CardElement } from './types.js';
import { plural } from '../../src/util/plural.js';
// one wording of money and change for every surface (issue 17 item 9)
import { NO_RUNS, noRuns, spendChange, usd } from '../digest.js';

export type DigestReply = Extract<Reply, { kind: 'digest' }>;
export type CostReply = Extract<Reply, { kind: 'cost' }>;

/** Teams caps a message at ~28 KB: a digest shows this many pipelines and opportunities. */
const TOP = 10;


function digestBody(d: Digest, title: string): CardElement[] {
  const t = d.totals;
  const body: CardElement[] = [heading(title), subtle(`${d.period.start.slice(0, 10)} → ${d.period.end.slice(0, 10)}${d.filter ? ` · filter ${d.filter}` : ''}`)];
  body.push(facts([
    { title: 'Spend', value: noRuns(t) && t.pipelines > 0 ? `${NO_RUNS} The period before: ${usd(t.previousDollars)}.` : `${usd(t.dollars)} (${num(Math.round(t.dbus))} DBU), ${spendChange(t)} vs previous period` },
    { title: 'Pipelines', value: `${t.pipelines}${t.serverlessPipelines > 0 ? ` (${t.serverlessPipelines} serverless)` : ''}` },
    { title: 'Maintenance', value: `${usd(t.maintenanceDollars)}` },
    ...(t.dbuPerMillionRows === null ? [] : [{ title: 'DBU per million rows', value: num(Math.round(t.dbuPerMillionRows * 100) / 100) }]),
    ...(t.cpuAvg === null ? [] : [{ title: 'Mean worker CPU', value: `${Math.round(t.cpuAvg)}%` }]),
  ]));
  if (d.top.length) {
    const more = d.pipelines.length - Math.min(d.top.length, TOP);
    body.push(section([text('**Highest spend**'), plainFacts(d.top.slice(0, TOP).map((p) => ({ title: p.name, value: `${usd(p.dollars)} · ${spendChange(p)}` })))]));
    if (more > 0) body.push(subtleLine(rt`…and ${more} more pipelines with spend (\`dlt cost\` for one of them).`));
  }
  if (d.opportunities.length) {
    const items: CardElement[] = [text(`**Savings opportunities** (≈ ${usd(d.savingsUsd.low)}–${usd(d.savingsUsd.high)} per period)`)];
    if (d.opportunities.length > TOP) items.push(subtle(`Top ${TOP} of ${d.opportunities.length}.`));
    for (const o of d.opportunities.slice(0, TOP)) {
      items.push(line(rt`**${o.pipeline.name}**: ${o.change} (guide §${o.guideSection})`, { spacing: 'small' }));
      items.push(subtle(`${o.why} · saves ${usd(o.savingsUsd.low)}–${usd(o.savingsUsd.high)} · risk: ${o.risk}`));
    }
    body.push(section(items));
  }
  if (d.notes.length) body.push(subtle(d.notes.join(' · ')));
  return body;
}

function fallback(d: Digest, title: string): string {
  return `${title}: ${usd(d.totals.dollars)} over ${d.totals.pipelines} pipelines (${spendChange(d.totals)}); savings ≈ ${usd(d.savingsUsd.low)}–${usd(d.savingsUsd.high)}`;
}

export function toAdaptiveCard(reply: DigestReply): AdaptiveCard {
  const title = 'Pipeline cost digest';
  const body = digestBody(reply.digest, title);
  if (reply.note) body.splice(1, 0, plain(reply.note, { spacing: 'small' }));
  if (reply.subscription) body.push(subtle(`Scheduled: ${reply.subscription.schedule} (${reply.subscription.tz}) · subscription ${reply.subscription.id}`));
  return card(body, fallback(reply.digest, title));
}

export function costToAdaptiveCard(reply: CostReply): AdaptiveCard {
  const title = reply.pipeline ? `Cost of ${reply.pipeline.name}, last ${plural(reply.days, 'day')}` : `Pipeline cost, last ${plural(reply.days, 'day')}`;
  return card(digestBody(reply.digest, title), fallback(reply.digest, title));
}
