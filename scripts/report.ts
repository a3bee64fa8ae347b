/**
 * npm run report [-- options]: process metrics from the workflow event log, printed as a readable
 * summary, and optionally written as JSON, a self-contained HTML page, OCEL 2.0 JSON and XES.
 *
 * By default it reads the running local runtime's store (`npm run local` / `npm start -- --serve`)
 * at AWS_ENDPOINT_URL (default http://127.0.0.1:4590), table logistics-orchestrator-workflow. With
 * `--data-dir .local` it opens the local runtime's saved store itself (the runtime must be stopped).
 * Against AWS: `--endpoint ''` uses the SDK's default endpoint and credentials.
 */
import '../local/quiet-sdk-warning';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDbLogSource } from '../lambdas/insights/dynamodb-log-source';
import { OcelWriter, XesWriter } from '../lambdas/insights/exports';
import { formatReport } from '../lambdas/insights/format';
import { renderHtml } from '../lambdas/insights/html';
import type { LogSource } from '../lambdas/insights/log-source';
import { ProcessMetrics, type ProcessReport } from '../lambdas/insights/metrics';

const usage = `npm run report -- [--endpoint URL] [--table NAME] [--region REGION] [--data-dir DIR] [--mode scan|query]
                      [--as-of ISO-TIME] [--json FILE] [--html FILE] [--ocel FILE] [--xes FILE] [--variants N] [--quiet]`;

/** A file written in large chunks (sync writes keep it simple and fast enough for millions of lines). */
class FileSink {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  constructor(readonly path: string) {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    this.fd = openSync(path, 'w');
  }
  write = (chunk: string) => {
    this.buffer.push(chunk);
    this.size += chunk.length;
    if (this.size > 1 << 20) this.flush();
  };
  flush() {
    if (this.buffer.length) writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

async function append(target: string, source: string): Promise<void> {
  await new Promise<void>((done, fail) => {
    const out = createWriteStream(target, { flags: 'a' });
    createReadStream(source).on('error', fail).pipe(out).on('finish', done).on('error', fail);
  });
}

export interface ReportOptions {
  readonly asOf?: string;
  readonly json?: string;
  readonly html?: string;
  readonly ocel?: string;
  readonly xes?: string;
  readonly variants?: number;
}

/** Streams the source once through the metrics and every export asked for. */
export async function runReport(source: LogSource, options: ReportOptions): Promise<{ report: ProcessReport; text: string }> {
  const metrics = new ProcessMetrics({ asOf: options.asOf });
  const xes = options.xes ? new FileSink(options.xes) : undefined;
  const xesWriter = xes ? new XesWriter(xes.write) : undefined;
  const ocelEvents = options.ocel ? new FileSink(`${options.ocel}.events.part`) : undefined;
  const ocelObjects = options.ocel ? new FileSink(`${options.ocel}.objects.part`) : undefined;
  const ocel = ocelEvents && ocelObjects ? new OcelWriter({ event: ocelEvents.write, object: ocelObjects.write }) : undefined;
  for await (const order of source.orders()) {
    metrics.add(order.entries, order.orderId);
    xesWriter?.add(order.orderId, order.entries);
    ocel?.add(order.orderId, order.entries);
  }
  if (xesWriter && xes) {
    xesWriter.end();
    xes.close();
  }
  if (ocel && ocelEvents && ocelObjects && options.ocel) {
    ocelEvents.close();
    ocelObjects.close();
    writeFileSync(options.ocel, `${ocel.head()}"events":[\n`);
    await append(options.ocel, ocelEvents.path);
    writeFileSync(options.ocel, '\n],\n"objects":[\n', { flag: 'a' });
    await append(options.ocel, ocelObjects.path);
    writeFileSync(options.ocel, '\n]}\n', { flag: 'a' });
    rmSync(ocelEvents.path);
    rmSync(ocelObjects.path);
  }
  const report = metrics.result();
  if (options.json) writeFileSync(options.json, JSON.stringify(report, null, 2) + '\n');
  if (options.html) writeFileSync(options.html, renderHtml(report, { generatedAt: new Date().toISOString() }));
  return { report, text: formatReport(report, { variants: options.variants }) };
}

/** Opens the local runtime's saved DynamoDB data (dynalite on LevelDB) on a free port. */
async function openDataDir(dir: string): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const path = resolve(dir, 'dynamodb');
  if (!existsSync(path)) throw new Error(`no local store at ${path}: run npm start first`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
  const server = dynalite({ path, createTableMs: 0 });
  await new Promise<void>((done, fail) => server.once('error', fail).listen(0, '127.0.0.1', done));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((done) => server.close(() => done())) };
}

async function main(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      endpoint: { type: 'string' },
      table: { type: 'string', default: 'logistics-orchestrator-workflow' },
      region: { type: 'string' },
      'data-dir': { type: 'string' },
      mode: { type: 'string', default: 'scan' },
      'as-of': { type: 'string' },
      json: { type: 'string' },
      html: { type: 'string' },
      ocel: { type: 'string' },
      xes: { type: 'string' },
      variants: { type: 'string', default: '5' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (v.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (v.mode !== 'scan' && v.mode !== 'query') throw new Error(`--mode must be scan or query\n${usage}`);
  const local = v['data-dir'] ? await openDataDir(v['data-dir']) : undefined;
  const endpoint = local?.endpoint ?? v.endpoint ?? process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4590';
  const isLocal = !!endpoint && /^(https?:\/\/)?(127\.0\.0\.1|localhost)[:/]/.test(endpoint);
  const client = new DynamoDBClient({
    ...(endpoint ? { endpoint } : {}),
    region: v.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(isLocal ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const source = new DynamoDbLogSource({ client: DynamoDBDocumentClient.from(client), tableName: v.table!, mode: v.mode });
  const started = Date.now();
  try {
    const { report, text } = await runReport(source, { asOf: v['as-of'], json: v.json, html: v.html, ocel: v.ocel, xes: v.xes, variants: Number(v.variants) });
    if (!v.quiet) process.stdout.write(text + '\n');
    const seconds = (Date.now() - started) / 1000;
    const wrote = [v.json && `JSON ${v.json}`, v.html && `HTML ${v.html}`, v.ocel && `OCEL 2.0 ${v.ocel}`, v.xes && `XES ${v.xes}`].filter(Boolean).join(', ');
    process.stderr.write(`\nRead ${report.events} events of ${report.orders} orders from ${v.table} at ${endpoint || 'AWS'} in ${seconds.toFixed(1)} s${wrote ? `; wrote ${wrote}` : ''}.\n`);
    return 0;
  } catch (error) {
    const e = error as Error & { code?: string; cause?: { code?: string } };
    if (e.code === 'ECONNREFUSED' || e.cause?.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(String(e.message))) {
      process.stderr.write(`Nothing answers at ${endpoint}: start the local runtime (npm run local, or npm start -- --serve), or read its saved store with --data-dir .local\n`);
      return 2;
    }
    if (e.name === 'ResourceNotFoundException') {
      process.stderr.write(`Table ${v.table} not found at ${endpoint || 'AWS'}: run the scenario first (npm start) or pass --table\n`);
      return 2;
    }
    throw error;
  } finally {
    client.destroy();
    await local?.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
}
