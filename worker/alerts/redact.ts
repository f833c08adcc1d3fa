/**
 * Scrubs text that came from outside (a vendor's error message, a network error) before it goes
 * into the viewer-visible event log: Slack, DingTalk, WeCom and Feishu URLs are themselves
 * credentials, and a vendor may echo a token back. Removes every secret value read for the send,
 * the token-like path segments and query values of secret URLs, and any URL.
 */
/** Token-like: long, or with a digit; words such as "webhook" in a vendor's path stay readable. */
const tokenLike = (f: string) => f.length >= 16 || (f.length >= 8 && /\d/.test(f));
const ANY_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]*/gi;

function fragments(value: string): string[] {
  if (!URL.canParse(value)) return [value];
  const url = new URL(value);
  return [value, ...[...url.pathname.split('/'), ...url.searchParams.values()].filter(tokenLike)];
}

export type Redact = (text: string) => string;

export function redactor(secretValues: Iterable<string>): Redact {
  const all = [...new Set([...secretValues].flatMap(fragments))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const f of all) out = out.split(f).join('[redacted]');
    return out.replace(ANY_URL, '[url]');
  };
}

/** One line of at most `max` characters, for vendor words quoted in an error. */
export function snippet(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
