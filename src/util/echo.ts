/**
 * What someone typed (or a name Databricks returned), shown back in a message: cut to `max`
 * characters with an ellipsis, so a 10,000-character argument cannot fill a reply or overflow a
 * Slack section (3,000 characters). Cut before any escaping; each surface escapes the result.
 */
export const ECHO_MAX = 200;

export function echo(text: string | undefined, max = ECHO_MAX): string {
  const s = String(text);
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}
