/** Cutting alert text to what a receiver accepts, without splitting a character in two. */

/** At most `max` code points, with an ellipsis when something was cut. */
export function truncateChars(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** At most `max` UTF-8 bytes (WeCom counts bytes, and Chinese text is three bytes a character). */
export function truncateBytes(text: string, max: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).byteLength <= max) return text;
  let out = '';
  let size = encoder.encode('…').byteLength;
  for (const char of text) {
    size += encoder.encode(char).byteLength;
    if (size > max) break;
    out += char;
  }
  return `${out}…`;
}

export const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
