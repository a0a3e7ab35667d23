/**
 * The Apply modal's first and failed states. A click's trigger_id can be exchanged once and only
 * within 3 seconds (https://api.slack.com/surfaces/modals, and the `trigger_expired` error: "presented
 * after the 3 second limit", https://api.slack.com/methods/dialog.open), while the diff
 * needs a re-collect and a re-diagnosis that can take longer: the listener opens the loading view
 * at once (views.open) and later replaces it (views.update with the view id and hash that
 * views.open returned, https://docs.slack.dev/reference/methods/views.update) with the
 * confirmation modal (renderApplyModal in alerts.ts) or with the error view below.
 */
import { context, esc, section } from './format.js';

const TITLE = { type: 'plain_text' as const, text: 'Apply a fix' };

/** Shown while the fix is prepared: no submit button, so nothing can be confirmed yet. */
export function renderApplyLoadingModal() {
  return {
    type: 'modal' as const,
    title: TITLE,
    close: { type: 'plain_text' as const, text: 'Cancel' },
    blocks: [
      section(':hourglass_flowing_sand: Preparing the change: re-reading the pipeline, its latest update and the fix…'),
      context('Nothing is changed until you press Apply on the next screen.'),
    ],
  };
}

/** The fix could not be prepared; `message` is for people (no stack), escaped here. */
export function renderApplyErrorModal(message: string) {
  return {
    type: 'modal' as const,
    title: TITLE,
    close: { type: 'plain_text' as const, text: 'Close' },
    blocks: [section(`:warning: ${esc(message)}`), context('Nothing was changed.')],
  };
}
