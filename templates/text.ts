/** Any Reply → terminal text (the CLI and logs). Block Kit / Adaptive Cards live beside each toText. */
import type { Reply } from '../commands/types.js';
import { toText as compareText } from './compare.js';
import { toText as costText } from './cost.js';
import { toText as digestText } from './digest.js';
import { toText as diagnosisText } from './diagnosis.js';
import { toText as errorText } from './error.js';
import { DEFAULT_TEXT_OPTIONS, type TextOptions, wrap } from './format.js';
import { toText as helpText } from './help.js';
import { toText as pipelinesText } from './pipelines.js';
import { toText as rulesText } from './rules.js';
import { toText as sizeText } from './size.js';
import { applyPreviewText } from './blocks/alerts.js';
import { plainSafe } from './plain-safe.js';
import { toText as experimentText } from './experiment.js';

export function replyToText(raw: Reply, o: TextOptions = DEFAULT_TEXT_OPTIONS): string {
  const reply = plainSafe(raw);
  switch (reply.kind) {
    case 'diagnosis':
      return diagnosisText(reply, o);
    case 'pipelines':
      return pipelinesText(reply, o);
    case 'compare':
      return compareText(reply, o);
    case 'size':
      return sizeText(reply, o);
    case 'help':
      return helpText(reply, o);
    case 'rules':
      return rulesText(reply, o);
    case 'error':
      return errorText(reply, o);
    case 'text':
      return wrap(reply.text, o.width).join('\n');
    case 'digest':
      return digestText(reply, o);
    case 'cost':
      return costText(reply, o);
    case 'apply-preview':
      return wrap(applyPreviewText(reply), o.width).join('\n');
    case 'experiment-plan':
    case 'experiment-result':
      return experimentText(reply, o);
  }
}
