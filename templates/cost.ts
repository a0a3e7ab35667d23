/** `cost` → terminal text: the digest body for one pipeline or the whole workspace over N days. */
import type { Reply } from '../commands/types.js';
import { digestLines } from './digest.js';
import { DEFAULT_TEXT_OPTIONS, type TextOptions } from './format.js';
import { plural } from '../src/util/plural.js';

type CostReply = Extract<Reply, { kind: 'cost' }>;

export function toText(reply: CostReply, o: TextOptions = DEFAULT_TEXT_OPTIONS): string {
  const title = `Cost of ${reply.pipeline ? reply.pipeline.name : 'all pipelines'}, last ${plural(reply.days, 'day')}:`;
  return digestLines(reply.digest, o, title).join('\n');
}
