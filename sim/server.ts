/**
 * One HTTP server for a whole simulated fleet: every store's nodes, arbiter and active endpoint live
 * under path prefixes of a single port (1,000 stores, one listener), next to the control API.
 * Handlers throw HttpError; the one catch here turns any failure into a JSON error, never a crash.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { answerFailure, HttpError, listen, sendJson } from '#agent/http-json.ts';
import { ActionLog } from './action-log.ts';
import type { SimContext } from './context.ts';
import { handleControl } from './control-routes.ts';
import { handleEdge, matchEdgeRoute } from './edge-routes.ts';
import type { FleetSim } from './fleet-sim.ts';
import { nodeKeysFrom } from './node-keys.ts';

export interface SimServerOptions {
  sim: FleetSim;
  /**
   * The master WEBHOOK_SECRET (several values while rotating): a dev tool that plays every node may
   * hold it; each node verifies its actions with its own key derived from it.
   */
  webhookSecret: string | readonly string[];
  /** Bearer token of the control API. */
  controlToken: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  wallNow?: () => number;
  log?: (line: string) => void;
}

export interface SimServer {
  /** `http://host:port`, no trailing slash. */
  url: string;
  port: number;
  sim: FleetSim;
  actions: ActionLog;
  close(): Promise<void>;
}

async function dispatch(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  if (url.pathname === '/') {
    sendJson(res, 200, { service: 'mirrorwatch-sim', stores: ctx.sim.size });
    return;
  }
  if (url.pathname.startsWith('/control/')) {
    await handleControl(ctx, req, res, url);
    return;
  }
  const route = matchEdgeRoute(url.pathname);
  if (!route) throw new HttpError(404, 'not_found', `no route ${req.method ?? 'GET'} ${url.pathname}`);
  await handleEdge(ctx, req, res, route);
}

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  if (options.controlToken === '') throw new Error('a control token is required');
  const ctx: SimContext = {
    sim: options.sim,
    actions: new ActionLog(),
    nodeKeys: nodeKeysFrom(options.webhookSecret),
    controlToken: options.controlToken,
    wallNow: options.wallNow ?? Date.now,
    log: options.log ?? ((line) => console.log(`[sim] ${line}`)),
  };
  const server = createServer((req, res) => {
    dispatch(ctx, req, res).catch((error: unknown) => answerFailure(req, res, error, ctx.log, 'the simulator failed'));
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host, options.port ?? 0, 'the simulator');
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    sim: options.sim,
    actions: ctx.actions,
    close: () =>
      new Promise<void>((resolve, reject) => {
        options.sim.close();
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging (WAN-cut) and keep-alive connections would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
