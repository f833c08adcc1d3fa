/** Routes anyone may call. Nothing here may carry a URL, host, address, port or secret. */
import { fleetStub } from '../fleet/stub.ts';
import { routeGroup } from '../http/route-group.ts';
import { renderStatusPage } from '../views/status-page.ts';

export const publicRoutes = routeGroup({ kind: 'anyone' }, null);

publicRoutes.get('/healthz', (c) => c.json({ ok: true }));

publicRoutes.get('/api/v1/public/status', async (c) => {
  const status = await fleetStub(c.env).publicStatus(Date.now());
  c.header('Cache-Control', 'public, max-age=5');
  return c.json(status);
});

publicRoutes.get('/status', async (c) => {
  const status = await fleetStub(c.env).publicStatus(Date.now());
  c.header('Cache-Control', 'public, max-age=5');
  return c.html(renderStatusPage(status));
});
