/** A stand-in worker for Node tests of the job wrapper: records each heartbeat's body and answers 200. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedBeat = { event: string; message?: string; run: string; node?: string; epoch?: number };

export async function startHeartbeatRecorder() {
  const beats: RecordedBeat[] = [];
  let onBeat: (beat: RecordedBeat) => void = () => undefined;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      const beat = JSON.parse(body) as RecordedBeat;
      beats.push(beat);
      onBeat(beat);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"job":{}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    beats,
    /** Clears what was recorded and sets who is told of each next heartbeat. */
    reset(listener: (beat: RecordedBeat) => void = () => undefined) {
      beats.length = 0;
      onBeat = listener;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
