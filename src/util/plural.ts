/**
 * "1 day", "7 days", "1 init script", "2 cluster libraries": one count-and-noun wording for every
 * template, note and fix text (issue 17 item 9: no "day(s)", no "All 1 fixes").
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
