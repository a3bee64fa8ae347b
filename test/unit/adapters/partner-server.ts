import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake partner received. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** What the fake partner answers; `hang` never answers, `stall-body` sends 200 headers and never finishes the body. */
export type Reply = { status: number; body?: unknown; raw?: string; headers?: Record<string, string> } | 'hang' | 'stall-body';

export interface PartnerServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Sets how the next requests are answered. */
  reply(handler: (request: ReceivedRequest) => Reply): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (random port) standing in for a partner API, so the adapters are
 * tested through Node's real fetch, sockets, timeouts and header handling rather than a fetch mock.
 */
export async function startPartnerServer(): Promise<PartnerServer> {
  const requests: ReceivedRequest[] = [];
  let handler: (request: ReceivedRequest) => Reply = () => ({ status: 204 });
  const server: Server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: ReceivedRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: text ? JSON.parse(text) : undefined };
      requests.push(request);
      const reply = handler(request);
      if (reply === 'hang') return;
      if (reply === 'stall-body') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"invoiceId":');
        return;
      }
      const payload = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    requests,
    reply(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
