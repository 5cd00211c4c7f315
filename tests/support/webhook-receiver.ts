import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A subscriber on 127.0.0.1 for tests: records what it receives and answers what the test tells it to — a status
 * code, or nothing at all until released (a subscriber that hangs).
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let answer: number | 'hang' = 204;
  const hanging = new Set<() => void>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (answer === 'hang') {
        hanging.add(() => response.destroy());
        return;
      }
      response.statusCode = answer;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answerWith(status: number | 'hang') {
      answer = status;
    },
    /** Drops the connections it has been holding. */
    release() {
      for (const drop of hanging) drop();
      hanging.clear();
    },
    async stop() {
      this.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
