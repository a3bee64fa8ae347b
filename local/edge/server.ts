import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One AWS JSON-protocol service: operation name → implementation taking and returning the wire shapes. */
export interface JsonService {
  /** The `X-Amz-Target` prefix, e.g. `AWSStepFunctions`, `AWSEvents`, `AmazonSQS`. */
  readonly targetPrefix: string;
  /** The namespace AWS puts in `__type` of errors. */
  readonly errorNamespace: string;
  readonly operations: Readonly<Record<string, (input: Record<string, unknown>) => unknown>>;
}

/** A REST-JSON route (services such as EventBridge Scheduler use paths, not X-Amz-Target). */
export interface RestRoute {
  readonly method: string;
  /** Matched against the URL path; named groups become parameters. */
  readonly path: RegExp;
  readonly handle: (params: Record<string, string>, query: URLSearchParams, body: Record<string, unknown>) => unknown;
}

export interface EdgeOptions {
  readonly routes?: readonly RestRoute[];
  /** @default 4566 */
  readonly port?: number;
  readonly services: readonly JsonService[];
  /** DynamoDB requests are proxied here (dynalite). */
  readonly dynamodbEndpoint?: string;
  readonly log?: (line: string) => void;
}

/** An error whose `name` is the AWS error code; other errors are answered as internal failures. */
function errorCode(error: unknown): { code: string; message: string; status: number } {
  const e = error as { name?: string; code?: string; message?: string; statusCode?: number };
  const code = e.code ?? e.name ?? 'InternalFailure';
  if (!code || code === 'Error' || code === 'TypeError' || code === 'RangeError' || code === 'SyntaxError') {
    return { code: 'InternalFailure', message: e.message ?? 'internal error', status: 500 };
  }
  return { code, message: e.message ?? code, status: e.statusCode ?? 400 };
}

/** AWS JSON protocols carry timestamps as epoch seconds. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/x-amz-json-1.0', headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * The edge: one endpoint on 127.0.0.1 that speaks the AWS JSON protocols, so
 * `AWS_ENDPOINT_URL=http://127.0.0.1:PORT` points every AWS SDK v3 client (and the AWS CLI with
 * `--endpoint-url`) at the local runtime. Requests are routed by their `X-Amz-Target` header;
 * DynamoDB is proxied to dynalite unchanged.
 */
export class Edge {
  private server?: Server;
  private readonly byPrefix = new Map<string, JsonService>();

  constructor(private readonly options: EdgeOptions) {
    for (const s of options.services) this.byPrefix.set(s.targetPrefix, s);
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('edge is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error) => {
        const { code, message } = errorCode(error);
        if (!res.headersSent) send(res, 500, { __type: code, message });
      });
    });
    // Keep-alive connections from SDK clients must not hold the process open on shutdown.
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 4566, '127.0.0.1', () => resolve());
    });
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method === 'GET' && !target) {
      send(res, 200, { status: 'running', services: ['dynamodb', ...[...this.byPrefix.values()].map((s) => s.targetPrefix)] }, 'application/json');
      return;
    }
    const body = await readBody(req);
    if (target.startsWith('DynamoDB_')) return this.proxyDynamo(req, res, body);
    if (!target) return this.routeRest(req, res, body);
    const [prefix, operation] = target.split('.');
    const service = prefix ? this.byPrefix.get(prefix) : undefined;
    const contentType = String(req.headers['content-type'] ?? 'application/x-amz-json-1.0');
    if (!service || !operation) {
      send(res, 400, { __type: 'UnknownOperationException', message: `Unknown target '${target || '(none)'}': this endpoint serves DynamoDB, ${[...this.byPrefix.keys()].join(', ')}` }, contentType);
      return;
    }
    const op = service.operations[operation];
    if (!op) {
      send(res, 400, { __type: `${service.errorNamespace}#UnknownOperationException`, message: `Operation ${operation} is not supported by the local ${prefix}` }, contentType);
      return;
    }
    let input: Record<string, unknown>;
    try {
      input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      send(res, 400, { __type: 'SerializationException', message: 'Request body is not valid JSON' }, contentType);
      return;
    }
    try {
      const output = await op(input);
      send(res, 200, toWire(output ?? {}), contentType);
      this.options.log?.(`${prefix}.${operation} 200`);
    } catch (error) {
      const { code, message, status } = errorCode(error);
      this.options.log?.(`${prefix}.${operation} ${status} ${code}: ${message}`);
      send(res, status, { __type: `${service.errorNamespace}#${code}`, message, Message: message }, contentType, { 'x-amzn-ErrorType': code });
    }
  }

  private async routeRest(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    for (const route of this.options.routes ?? []) {
      const match = route.method === req.method ? route.path.exec(url.pathname) : null;
      if (!match) continue;
      try {
        const input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
        const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
        send(res, 200, toWire((await route.handle(params, url.searchParams, input)) ?? {}), 'application/json');
        this.options.log?.(`${req.method} ${url.pathname} 200`);
      } catch (error) {
        const { code, message, status } = errorCode(error);
        send(res, status, { Message: message, message }, 'application/json', { 'x-amzn-ErrorType': code });
      }
      return;
    }
    send(res, 404, { message: `No local service at ${req.method} ${url.pathname}` }, 'application/json', { 'x-amzn-ErrorType': 'UnknownOperationException' });
  }

  private proxyDynamo(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const endpoint = this.options.dynamodbEndpoint;
    if (!endpoint) {
      send(res, 400, { __type: 'UnknownOperationException', message: 'DynamoDB is not running in this runtime' });
      return Promise.resolve();
    }
    const url = new URL(endpoint);
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: { ...req.headers, host: url.host, 'content-length': body.length } },
        (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
          up.on('end', () => resolve());
          up.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}
