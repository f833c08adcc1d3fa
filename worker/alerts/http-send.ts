/**
 * Sends one alert request, bounded in time (the whole exchange, body included) and in how much of
 * the answer is read: a receiver that hangs or streams megabytes cannot stall the monitor.
 */
import type { AlertRequest } from './request.ts';
import type { Answer } from './vendor-answers.ts';

export const MAX_ANSWER_BYTES = 4 * 1024;

export type Exchange = ({ kind: 'answer' } & Answer) | { kind: 'timeout' } | { kind: 'network'; error: unknown };

export async function sendRequest(request: AlertRequest, timeoutMs: number): Promise<Exchange> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      // A redirect would re-send a signed body to a host the config never named.
      redirect: 'manual',
    });
    return { kind: 'answer', status: res.status, body: await readBounded(res, MAX_ANSWER_BYTES) };
  } catch (error) {
    if (signal.aborted) return { kind: 'timeout' };
    return { kind: 'network', error };
  }
}

async function readBounded(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    const chunk = value.subarray(0, maxBytes - size);
    size += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
  }
  // The rest is not needed: stop the transfer instead of draining it.
  await reader.cancel();
  return text + decoder.decode();
}
