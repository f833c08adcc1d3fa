import { expect, it } from 'vitest';
import { cleartextWarning, parseServerOrigin } from '#extension/lib/server-origin.ts';
import { canStreamWith, failoverUrl, originPattern, statusPageUrl, streamUrl } from '#extension/lib/server-url.ts';

it.each([
  ['https://mw.example.com', 'https://mw.example.com'],
  ['  https://MW.example.com/ ', 'https://mw.example.com'],
  ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
  ['https://mw.example.com:443/', 'https://mw.example.com'],
])('%s is the origin %s', (input, origin) => {
  expect(parseServerOrigin(input)).toEqual({ ok: true, origin });
});

it.each([
  ['', 'Enter the server URL'],
  ['mw.example.com', 'not a URL'],
  ['ftp://mw.example.com', 'https:// or http://'],
  ['wss://mw.example.com', 'https:// or http://'],
  ['https://user:pw@mw.example.com', 'user name or password'],
  ['https://mw.example.com/api', 'only the server'],
  ['https://mw.example.com/?x=1', 'only the server'],
])('%j is refused', (input, words) => {
  const r = parseServerOrigin(input);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toContain(words);
});

it('derives every URL from the origin', () => {
  expect(originPattern('https://mw.example.com')).toBe('https://mw.example.com/*');
  expect(streamUrl('https://mw.example.com')).toBe('wss://mw.example.com/api/v1/stream');
  expect(streamUrl('http://127.0.0.1:8787')).toBe('ws://127.0.0.1:8787/api/v1/stream');
  expect(statusPageUrl('https://mw.example.com')).toBe('https://mw.example.com/status');
  expect(failoverUrl('https://mw.example.com', 'a b')).toBe('https://mw.example.com/api/v1/stores/a%20b/failover');
});

it('knows which tokens fit in a subprotocol header', () => {
  expect(canStreamWith('demo-operator-AbC_12-x.y~')).toBe(true);
  expect(canStreamWith('abc/def')).toBe(false);
  expect(canStreamWith('abc=')).toBe(false);
  expect(canStreamWith('a b')).toBe(false);
  expect(canStreamWith('')).toBe(false);
});

it.each([
  ['https://mw.example.com', false],
  ['http://127.0.0.1:8787', false],
  ['http://127.10.0.3', false],
  ['http://localhost:8787', false],
  ['http://mw.localhost', false],
  ['http://[::1]:8787', false],
  ['http://mw.example.com', true],
  ['http://192.168.1.20:8787', true],
  ['http://128.0.0.1', true],
  ['http://localhost.example.com', true],
])('%s warns that the token travels in clear: %s', (origin, warns) => {
  const warning = cleartextWarning(origin);
  expect(warning !== null).toBe(warns);
  if (warning) expect(warning).toContain('in clear');
});
