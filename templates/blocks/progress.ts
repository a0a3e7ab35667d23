/** The in-channel placeholder a long command posts at once and updates in place. */
import type { Block, SlackPayload } from './types.js';
import { context, echo, inlineCode, mention, section } from './format.js';

export type ProgressStep = 'started' | 'resolving' | 'collecting' | 'analysing' | 'rendering';

const VERB: Record<string, string> = {
  'why-slow': 'Diagnosing',
  compare: 'Comparing',
  size: 'Sizing',
  pipelines: 'Listing pipelines',
  cost: 'Adding up the cost of',
};

export function progressText(command: string, subject: string | null, step: ProgressStep): string {
  const verb = VERB[command] ?? 'Running';
  // what the person typed: cut (a 10,000-character argument would overflow the section) and escaped
  const what = subject ? ` ${inlineCode(echo(subject))}` : '';
  return step === 'started' ? `${verb}${what}…` : `${verb}${what}… ${step}`;
}

export function renderProgress(command: string, subject: string | null, step: ProgressStep, userId?: string): SlackPayload {
  // the subject is what the person typed: in inline code, which escapes it (also in the fallback text)
  const text = progressText(command, subject, step);
  const blocks: Block[] = [section(`:hourglass_flowing_sand: ${text}`)];
  if (userId) blocks.push(context(`Asked by ${mention(userId)}`));
  return { text, blocks };
}
