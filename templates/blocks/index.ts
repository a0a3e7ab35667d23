/** Reply → Block Kit, one renderer per Reply kind. */
import type { Reply } from '../../commands/types.js';
import type { SlackPayload } from './types.js';
import { renderDiagnosis, type DiagnosisRenderOptions } from './diagnosis.js';
import { renderPipelines } from './pipelines.js';
import { renderCompare } from './compare.js';
import { renderSize } from './size.js';
import { renderHelp } from './help.js';
import { renderError } from './error.js';
import { renderText } from './text.js';
import { renderRules } from './rules.js';
import { renderCost, renderDigest } from './digest.js';

export function toBlocks(reply: Reply, options: DiagnosisRenderOptions = {}): SlackPayload {
  switch (reply.kind) {
    case 'diagnosis':
      return renderDiagnosis(reply, options);
    case 'pipelines':
      return renderPipelines(reply);
    case 'compare':
      return renderCompare(reply);
    case 'size':
      return renderSize(reply);
    case 'help':
      return renderHelp(reply);
    case 'error':
      return renderError(reply);
    case 'text':
      return renderText(reply);
    case 'rules':
      return renderRules(reply);
    case 'digest':
      return renderDigest(reply);
    case 'cost':
      return renderCost(reply);
  }
}

export { splitForSlack, limitViolations, messageTextLength } from './split.js';
export type { Block, SlackPayload, ButtonValue } from './types.js';
export { SLACK_LIMITS } from './limits.js';
