/** Reply → Adaptive Card 1.5, one renderer per Reply kind (the Teams twin of templates/blocks/index.ts). */
import type { Reply } from '../../commands/types.js';
import { toAdaptiveCard as applyPreview } from './apply.js';
import { toAdaptiveCard as compare } from './compare.js';
import { toAdaptiveCard as diagnosis } from './diagnosis.js';
import { costToAdaptiveCard as cost, toAdaptiveCard as digest } from './digest.js';
import { toAdaptiveCard as error } from './error.js';
import { toAdaptiveCard as help } from './help.js';
import { toAdaptiveCard as pipelines } from './pipelines.js';
import { toAdaptiveCard as rules } from './rules.js';
import { toAdaptiveCard as size } from './size.js';
import { toAdaptiveCard as text } from './text.js';
import { fitCard } from './format.js';
import { planCard, resultCard } from './experiment.js';
import type { AdaptiveCard } from './types.js';

export function toAdaptiveCard(reply: Reply): AdaptiveCard {
  return fitCard(render(reply));
}

function render(reply: Reply): AdaptiveCard {
  switch (reply.kind) {
    case 'diagnosis':
      return diagnosis(reply);
    case 'pipelines':
      return pipelines(reply);
    case 'compare':
      return compare(reply);
    case 'size':
      return size(reply);
    case 'help':
      return help(reply);
    case 'error':
      return error(reply);
    case 'rules':
      return rules(reply);
    case 'text':
      return text(reply);
    case 'digest':
      return digest(reply);
    case 'cost':
      return cost(reply);
    case 'apply-preview':
      return applyPreview(reply);
    case 'experiment-plan':
      return planCard(reply);
    case 'experiment-result':
      return resultCard(reply);
  }
}

/** The MIME type Teams expects on an Adaptive Card attachment. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export { allFixesCard } from './diagnosis.js';
export { TEAMS_CARD_BUDGET, cardBytes } from './format.js';
export { alertCard, type AlertInput, type AlertKind } from './alert.js';
export type { AdaptiveCard, SubmitData } from './types.js';
