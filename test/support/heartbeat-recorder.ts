/** A stand-in worker for Node tests of the job wrapper: records each heartbeat's body and answers 200 unless told. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedBeat = { event: string; message?: string; run: string; node?: string; epoch?: number };

type Answer = (beat: RecordedBeat) => { status: number; body: unknown };

export async function startHeartbeatRecorder() {
  const beats: RecordedBeat[] = [];
  let onBeat: (beat: RecordedBeat) => void = () => undefined;
  let answer: Answer = () => ({ status: 200, body: { job: {} } });
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      const beat = JSON.parse(body) as RecordedBeat;
      beats.push(beat);
      onBeat(beat);
      const reply = answer(beat);
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    beats,
    /** Clears what was recorded and sets who is told of each next heartbeat and how it is answered. */
    reset(
      listener: (beat: RecordedBeat) => void = () => undefined,
      answering: Answer = () => ({ status: 200, body: { job: {} } }),
    ) {
      beats.length = 0;
      onBeat = listener;
      answer = answering;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
