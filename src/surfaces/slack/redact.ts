/**
 * Slack's edge of the outward redaction (src/redact.ts). Every Web API call of every WebClient in
 * the process — chat.postMessage/update/postEphemeral, views.open/update, files.*, whichever
 * function made it (publish.ts, the post queue, listeners, the alert poster, the digest post, the
 * console's fake Slack) — has its arguments redacted, and so does every `respond()` to a
 * response_url. The call's own `token` argument and the calls that carry credentials to Slack
 * (oauth.*, auth.*, apps.*) are left alone: those values are meant for Slack.
 */
import { webApi, type RespondArguments, type RespondFn } from '@slack/bolt';
import { redactDeep } from '../../redact.js';

type ApiCall = webApi.WebClient['apiCall'];
let installed = false;

/** wraps WebClient.prototype.apiCall once per process */
export function redactSlackCalls(): void {
  if (installed) return;
  installed = true;
  const proto = webApi.WebClient.prototype as { apiCall: ApiCall };
  const apiCall = proto.apiCall;
  proto.apiCall = function (this: webApi.WebClient, method: string, options?: Record<string, unknown>) {
    if (!options || /^(oauth|auth|apps)\./.test(method)) return apiCall.call(this, method, options);
    const { token, ...rest } = options;
    const safe = redactDeep(rest);
    return apiCall.call(this, method, safe === rest ? options : token === undefined ? safe : { ...safe, token });
  } as ApiCall;
}

/** `respond` with its message redacted */
export function redactingRespond(respond: RespondFn): RespondFn {
  return (message: string | RespondArguments) => respond(redactDeep(message));
}
