/**
 * The few HTTP helpers every agent server shares: one error type thrown anywhere and turned into
 * `{"error":{"code","message"}}` by the server's single catch (`answerFailure`), a bounded body
 * reader, a JSON writer, and listening on a port.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  /** Answer with `Connection: close`: the rest of the request is not worth reading. */
  readonly closeConnection: boolean;
  constructor(status: number, code: string, message: string, options: { closeConnection?: boolean } = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.closeConnection = options.closeConnection ?? false;
  }
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body_too_large', `request body is over ${limit} bytes`, { closeConnection: true });
}

/**
 * Reads the whole body as UTF-8. A body declared or found to be over `limit` bytes is not read any
 * further: it is answered 413 with `Connection: close`, so a client cannot hold the connection (or
 * the agent's memory) by sending more.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.pause();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buffer.length;
      if (size > limit) {
        stop();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    // A client gone before the end of its body: nothing more will come, and nothing to answer.
    const onClose = () => {
      stop();
      reject(new HttpError(400, 'incomplete_body', 'the client closed the connection before the end of its body'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** A header's single value (Node joins or lists repeated ones); undefined when absent. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(
      400,
      'malformed_json',
      `body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * The servers' single catch: an HttpError is answered as its JSON error; anything else is a bug,
 * logged with its stack and answered 500 with `internalMessage`. A response already under way is
 * cut off instead.
 */
export function answerFailure(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  log: (line: string) => void,
  internalMessage: string,
): void {
  const known = error instanceof HttpError;
  if (!known) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`error on ${req.method ?? '?'} ${req.url ?? '?'}: ${detail}`);
  }
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const status = known ? error.status : 500;
  const headers: Record<string, string> = known && error.closeConnection ? { connection: 'close' } : {};
  sendJson(
    res,
    status,
    known ? errorBody(error.code, error.message) : errorBody('internal_error', internalMessage),
    headers,
  );
}

/** Listens on `host:port` (port 0 picks a free one) and returns the port; `what` names the server in errors. */
export async function listen(server: Server, host: string, port: number, what: string): Promise<number> {
  // A client that aborts a hanging request must not take the process down.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${what} is not listening on TCP ${host}`);
  return address.port;
}
