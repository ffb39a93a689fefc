/**
 * Splits a typed line into its command word and the rest. People type on phones with
 * Chinese input methods, so a full-width slash and full-width spaces are accepted too.
 */
export function parseCommandLine(text: string): { word: string; args: string } | undefined {
  const normalised = text.replace(/\u3000/g, ' ').trim();
  const match = /^[/／]\s*(\S+)\s*([\s\S]*)$/.exec(normalised);
  if (!match?.[1]) return undefined;
  return { word: match[1].toLowerCase(), args: (match[2] ?? '').trim() };
}
