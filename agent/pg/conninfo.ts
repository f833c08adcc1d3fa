/**
 * Just enough of libpq's connection strings to find where a standby streams from and under which
 * name (`primary_conninfo`, `pg_stat_wal_receiver.conninfo`), and of `synchronous_standby_names`.
 * Pure, so it is tested without a server.
 */
import type { Address } from '../tcp-probe.ts';

/** `key=value` pairs (values optionally single-quoted, with backslash escapes) or a postgresql:// URI. */
export function parseConninfo(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (/^postgres(ql)?:\/\//.test(trimmed)) return parseUri(trimmed);
  const out: Record<string, string> = {};
  let i = 0;
  const skipSpace = () => {
    while (i < trimmed.length && /\s/.test(trimmed[i] ?? '')) i++;
  };
  while (i < trimmed.length) {
    skipSpace();
    const keyStart = i;
    while (i < trimmed.length && /[A-Za-z0-9_]/.test(trimmed[i] ?? '')) i++;
    const key = trimmed.slice(keyStart, i);
    skipSpace();
    if (key === '' || trimmed[i] !== '=') break;
    i++;
    skipSpace();
    let value = '';
    if (trimmed[i] === "'") {
      i++;
      while (i < trimmed.length && trimmed[i] !== "'") {
        if (trimmed[i] === '\\') i++;
        value += trimmed[i] ?? '';
        i++;
      }
      i++;
    } else {
      while (i < trimmed.length && !/\s/.test(trimmed[i] ?? '')) {
        if (trimmed[i] === '\\') i++;
        value += trimmed[i] ?? '';
        i++;
      }
    }
    out[key] = value;
  }
  return out;
}

function parseUri(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    const url = new URL(text.replace(/^postgres(ql)?:/, 'http:'));
    if (url.hostname) out.host = url.hostname.replace(/^\[|\]$/g, '');
    if (url.port) out.port = url.port;
    if (url.username) out.user = decodeURIComponent(url.username);
    const db = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (db) out.dbname = db;
    for (const [k, v] of url.searchParams) out[k] = v;
  } catch {
    // Not a URI we can read: no fields, the caller reports what it could not find.
  }
  return out;
}

/** The first host and port of a connection string (libpq allows lists); port defaults to 5432. */
export function conninfoAddress(info: Record<string, string>): Address | null {
  const host = (info.host ?? info.hostaddr ?? '').split(',')[0]?.trim();
  if (!host) return null;
  const port = Number((info.port ?? '5432').split(',')[0]);
  return Number.isInteger(port) && port > 0 && port < 65536 ? { host, port } : null;
}

/** The `application_name` a walreceiver shows the primary: the conninfo's, else cluster_name, else libpq's default. */
export function walreceiverName(info: Record<string, string>, clusterName: string): string {
  return info.application_name || info.fallback_application_name || clusterName || 'walreceiver';
}

/**
 * The standby names listed in `synchronous_standby_names`, in any of its forms (`a, b`,
 * `FIRST 1 (a, b)`, `ANY 2 (a, "B")`, `2 (a, b)`, `*`). Unquoted names are case-insensitive, so
 * they come back lower-cased.
 */
export function synchronousNames(setting: string): string[] {
  let body = setting.trim();
  const group = /^(?:(?:first|any)\s+)?\d+\s*\((.*)\)$/is.exec(body);
  if (group?.[1] !== undefined) body = group[1];
  return body
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '')
    .map((n) => (n.startsWith('"') && n.endsWith('"') && n.length >= 2 ? n.slice(1, -1) : n.toLowerCase()));
}
