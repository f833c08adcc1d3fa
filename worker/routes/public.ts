/** Routes anyone may call. Nothing here may carry a URL, host, address, port or secret. */
import { Hono } from 'hono';
import { z } from 'zod';
import { chooseLocale } from '#shared/i18n/locale.ts';
import { UPTIME_WINDOWS, type UptimeWindow } from '#shared/schemas/api.ts';
import { fleetStub } from '../fleet/stub.ts';
import { ApiException, notFound } from '../http/api-error.ts';
import { cachedPublic } from '../http/edge-cache.ts';
import type { AppEnv } from '../http/env.ts';
import { badgeSvg, shieldsEndpoint } from '../views/badge.ts';
import { renderIncidentFeed } from '../views/incident-feed.ts';
import { renderStatusPage } from '../views/status-page.ts';

export const publicApp = new Hono<AppEnv>();

publicApp.get('/healthz', (c) => c.json({ ok: true }));

publicApp.get('/api/v1/public/status', (c) =>
  cachedPublic(c, [], async () => c.json(await fleetStub(c.env).publicStatus(Date.now()))),
);

function regionQuery(region: string | undefined): string | null {
  if (region !== undefined && (region.length === 0 || region.length > 100)) {
    throw new ApiException(400, 'invalid_query', 'region must be a region name');
  }
  return region ?? null;
}

publicApp.get('/status', (c) => {
  const region = regionQuery(c.req.query('region'));
  const lang = chooseLocale(c.req.query('lang'), c.req.header('Accept-Language'));
  if (!lang.ok) throw new ApiException(400, 'invalid_query', lang.message);
  const page = async () => {
    const body = await renderStatusPage(await fleetStub(c.env).publicPage(Date.now()), region, lang.locale);
    return c.html(body, 200, { 'Content-Language': lang.locale, Vary: 'Accept-Language' });
  };
  return cachedPublic(c, ['region'], page, { lang: lang.locale });
});

/** The public incidents as an Atom feed, all public stores or one region's (`?region=`), in `?lang=`'s language. */
publicApp.get('/status/feed.atom', (c) => {
  const region = regionQuery(c.req.query('region'));
  const lang = chooseLocale(c.req.query('lang'), c.req.header('Accept-Language'));
  if (!lang.ok) throw new ApiException(400, 'invalid_query', lang.message);
  return cachedPublic(
    c,
    ['region'],
    async () => {
      const page = await fleetStub(c.env).publicPage(Date.now());
      if (region !== null && !page.status.stores.some((s) => (s.region ?? 'Other') === region))
        throw notFound(`no public store in region "${region}"`);
      const origin = new URL(c.req.url).origin;
      return c.body(renderIncidentFeed(page, origin, region, lang.locale), 200, {
        'Content-Type': 'application/atom+xml; charset=utf-8',
        'Content-Language': lang.locale,
        Vary: 'Accept-Language',
      });
    },
    { lang: lang.locale },
  );
});

/** `/badge/<store>.svg` or `/badge/<store>.json` (shields.io endpoint), `?window=24h|7d|30d|90d` adds uptime. */
publicApp.get('/badge/:file', (c) => {
  const match = /^([a-z0-9][a-z0-9-]{0,63})\.(svg|json)$/.exec(c.req.param('file'));
  if (!match?.[1]) throw notFound('badges are /badge/<store>.svg or /badge/<store>.json');
  const [id, kind] = [match[1], match[2]];
  const requested = c.req.query('window');
  const parsed = z.enum(UPTIME_WINDOWS).safeParse(requested);
  if (requested !== undefined && !parsed.success) {
    throw new ApiException(400, 'invalid_query', `window must be one of ${UPTIME_WINDOWS.join(', ')}`);
  }
  const window: UptimeWindow | null = parsed.success ? parsed.data : null;
  return cachedPublic(c, ['window'], async () => {
    const store = (await fleetStub(c.env).publicStatus(Date.now())).stores.find((s) => s.id === id);
    // Non-public stores are as absent here as stores that do not exist.
    if (!store) throw notFound(`no public store "${id}"`);
    if (kind === 'json') return c.json(shieldsEndpoint(store, window));
    return c.body(badgeSvg(store, window), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
  });
});
