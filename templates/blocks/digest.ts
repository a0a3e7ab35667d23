/**
 * Block Kit for the cost digest (and `cost`). One payload; `renderDigestMessages` splits it with
 * splitForSlack when it is over Slack's limits — the first message keeps the totals, the rest go
 * into its thread.
 */
import type { Reply } from '../../commands/types.js';
import type { Digest, Opportunity } from '../../src/digest/types.js';
import { dbu, NO_RUNS, noRuns, range, sparkline, spendChange, usd } from '../digest.js';
import { context, divider, esc, fallbackText, header, inlineCode, section } from './format.js';
import { splitForSlack } from './split.js';
import type { Block, SlackPayload } from './types.js';
import { plural } from '../../src/util/plural.js';

type DigestReply = Extract<Reply, { kind: 'digest' }>;
type CostReply = Extract<Reply, { kind: 'cost' }>;

const day = (iso: string) => iso.slice(0, 16).replace('T', ' ');

function opportunityBlock(o: Opportunity, i: number): Block {
  return section(
    `*${i + 1}. ${esc(range(o.savingsUsd))}* · *${esc(o.pipeline.name)}*: ${esc(o.change)} _(guide §${esc(o.guideSection)})_\n${esc(o.why)}\n*Risk:* ${esc(o.risk)}`,
  );
}

function digestBlocks(d: Digest, title: string, note: string | null): { blocks: Block[]; text: string } {
  const t = d.totals;
  const blocks: Block[] = [header(title)];
  if (note) blocks.push(context(`:hourglass: ${esc(note)}`));
  blocks.push(context(`${day(d.period.start)} → ${day(d.period.end)} UTC${d.filter ? ` · filter ${inlineCode(d.filter)}` : ''} · ${plural(t.pipelines, 'pipeline')}`));
  if (t.pipelines === 0) {
    blocks.push(section('No pipeline spend in this period.'));
  } else if (noRuns(t)) {
    blocks.push(section(`${NO_RUNS} The period before: ${usd(t.previousDollars)} (${dbu(t.previousDbus)}).`));
  } else {
    const util = [t.cpuAvg === null ? null : `CPU ${t.cpuAvg.toFixed(1)}%`, t.slotUtilization === null ? null : `task slots ${(t.slotUtilization * 100).toFixed(0)}%`].filter(Boolean).join(' · ');
    blocks.push(
      section(`*${usd(t.dollars)}* (${dbu(t.dbus)}) · *${spendChange(t)}* vs ${usd(t.previousDollars)} the period before`, [
        `*Maintenance*\n${dbu(t.maintenanceDbus)} (${usd(t.maintenanceDollars)})`,
        `*Updates*\n${dbu(t.updateDbus)}`,
        `*DBU per million rows*\n${t.dbuPerMillionRows === null ? 'n/a' : t.dbuPerMillionRows.toFixed(2)} _(guide 1.2)_`,
        `*Utilization*\n${util || 'n/a: no node metrics in this period'} _(target 70–85%)_`,
      ]),
    );
    if (d.daily.length > 1) blocks.push(context(`Daily spend \`${sparkline(d.daily.map((x) => x.dollars))}\` ${d.daily[0]!.day} … ${d.daily[d.daily.length - 1]!.day}`));
    const top = d.top
      .map((p, i) => `${i + 1}. *${esc(p.name)}* ${usd(p.dollars)} (${spendChange(p)})${p.dbuPerMillionRows === null ? '' : ` · ${p.dbuPerMillionRows.toFixed(2)} DBU/M rows`}${p.serverless ? ' · serverless' : p.cpuAvg === null ? '' : ` · CPU ${p.cpuAvg.toFixed(0)}%`}`)
      .join('\n');
    blocks.push(section(`*Top pipelines by spend*\n${top}`));
  }
  blocks.push(divider());
  if (d.opportunities.length === 0) {
    blocks.push(section('No savings opportunities found _(guide §12.2)_.'));
  } else {
    blocks.push(section(`*Savings opportunities: ${range(d.savingsUsd)}* per period like this one`));
    d.opportunities.forEach((o, i) => blocks.push(opportunityBlock(o, i)));
  }
  if (d.notes.length) blocks.push(context(...d.notes.slice(0, 10).map(esc)));
  const text = `${title}: ${noRuns(t) && t.pipelines > 0 ? 'no runs' : `${usd(t.dollars)} (${spendChange(t)} vs previous period)`}, ${d.opportunities.length} savings opportunit${d.opportunities.length === 1 ? 'y' : 'ies'} worth ${range(d.savingsUsd)}`;
  return { blocks, text: fallbackText(text) };
}

export function renderDigest(reply: DigestReply): SlackPayload {
  return digestBlocks(reply.digest, 'Pipeline cost digest', reply.note);
}

export function renderCost(reply: CostReply): SlackPayload {
  return digestBlocks(reply.digest, `Cost of ${reply.pipeline ? reply.pipeline.name : 'all pipelines'}, last ${plural(reply.days, 'day')}`, null);
}

/** The digest as Slack messages within every limit: the first is the message, the rest its thread. */
export function renderDigestMessages(reply: DigestReply | CostReply): SlackPayload[] {
  return splitForSlack(reply.kind === 'digest' ? renderDigest(reply) : renderCost(reply));
}
