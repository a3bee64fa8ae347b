import Ajv from 'ajv';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDbLogSource } from '../../lambdas/insights/dynamodb-log-source';
import { toOcelJson } from '../../lambdas/insights/exports';
import { MemoryLogSource } from '../../lambdas/insights/log-source';
import { processMetrics, processMetricsFrom } from '../../lambdas/insights/metrics';
import { runReport } from '../../scripts/report';
import { handLogs } from './hand-logs';
import { runScenario, type ScenarioRun } from './scenario';

const out = resolve(__dirname, '..', '..', 'reports', 'insights');
const schema = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'ocel2-schema.json'), 'utf8'));

/** The OCEL 2.0 JSON schema, compiled with ajv (draft-07); `date-time` is RFC 3339 (what the spec means by ISO 8601). */
function ocelValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);
  return ajv.compile(schema);
}

/** Checks beyond the schema: every link points at an object that exists; types are declared. */
function referentialProblems(doc: { eventTypes: Array<{ name: string }>; objectTypes: Array<{ name: string }>; events: Array<{ type: string; relationships?: Array<{ objectId: string }> }>; objects: Array<{ id: string; type: string; relationships?: Array<{ objectId: string }> }> }): string[] {
  const ids = new Set(doc.objects.map((o) => o.id));
  const eventTypes = new Set(doc.eventTypes.map((t) => t.name));
  const objectTypes = new Set(doc.objectTypes.map((t) => t.name));
  const problems: string[] = [];
  if (ids.size !== doc.objects.length) problems.push('duplicate object ids');
  for (const e of doc.events) {
    if (!eventTypes.has(e.type)) problems.push(`event type ${e.type} not declared`);
    for (const r of e.relationships ?? []) if (!ids.has(r.objectId)) problems.push(`event links to missing ${r.objectId}`);
  }
  for (const o of doc.objects) {
    if (!objectTypes.has(o.type)) problems.push(`object type ${o.type} not declared`);
    for (const r of o.relationships ?? []) if (!ids.has(r.objectId)) problems.push(`object links to missing ${r.objectId}`);
  }
  return problems;
}

describe('the report and exports from a real scenario run', () => {
  let run: ScenarioRun;
  let text: string;
  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    run = await runScenario(16);
    const source = new DynamoDbLogSource({ client: DynamoDBDocumentClient.from(run.dynamo.client), tableName: run.dynamo.tableName, pageSize: 50 });
    ({ text } = await runReport(source, {
      json: join(out, 'scenario-report.json'),
      html: join(out, 'scenario-report.html'),
      ocel: join(out, 'scenario.ocel.json'),
      xes: join(out, 'scenario.xes'),
    }));
  }, 120_000);
  afterAll(() => run?.world.close());

  it('reads the event log from DynamoDB, by scan or by query, as the store holds it', async () => {
    const expected = processMetrics(run.logs);
    const client = DynamoDBDocumentClient.from(run.dynamo.client);
    for (const mode of ['scan', 'query'] as const) {
      const report = await processMetricsFrom(new DynamoDbLogSource({ client, tableName: run.dynamo.tableName, mode, pageSize: 37 }).orders());
      expect(report).toEqual(expected);
    }
    expect(expected.orders).toBe(16);
    expect(expected.events).toBe([...run.logs.values()].reduce((n, l) => n + l.length, 0));
  });

  it('prints a readable summary of the run', () => {
    expect(text).toMatch(/^Process intelligence: 16 orders, \d+ events/);
    for (const heading of ['End to end', 'On time', 'Invoice lag', 'Where the time goes', 'Bottleneck:', 'Exceptions', 'Rework', 'SLA breaches', 'Variants']) expect(text).toContain(heading);
    const report = JSON.parse(readFileSync(join(out, 'scenario-report.json'), 'utf8'));
    expect(report.orders).toBe(16);
    expect(report.completed + report.cancelled + report.inProgress).toBe(16);
    expect(report.variantCount).toBeGreaterThan(1);
    expect(report.bottleneck.stage).toEqual(expect.any(String));
    // Every order is accounted for: completed, cancelled, or on hold with an exception someone owns.
    expect(Object.keys(report.ordersByFinalStage).every((s) => ['COMPLETED', 'CANCELLED', 'ON_HOLD'].includes(s))).toBe(true);
  });

  it('writes OCEL 2.0 JSON that validates against the OCEL 2.0 JSON schema', () => {
    const doc = JSON.parse(readFileSync(join(out, 'scenario.ocel.json'), 'utf8'));
    const validate = ocelValidator();
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(referentialProblems(doc)).toEqual([]);
    expect(doc.objectTypes.map((t: { name: string }) => t.name)).toEqual(['order', 'shipment', 'load', 'invoice', 'exception']);
    const types = new Set(doc.objects.map((o: { type: string }) => o.type));
    expect([...types].sort()).toEqual(['exception', 'invoice', 'load', 'order', 'shipment']);
    expect(doc.events).toHaveLength([...run.logs.values()].reduce((n, l) => n + l.length, 0));
    // Qualified links: a stage change advances its order; the invoice release names its invoice.
    const invoiced = doc.events.find((e: { type: string }) => e.type === 'Order invoiced');
    expect(invoiced.relationships).toEqual(expect.arrayContaining([{ objectId: expect.stringMatching(/^order:/), qualifier: 'advances' }, { objectId: expect.stringMatching(/^invoice:/), qualifier: 'releases' }]));
  });

  it('writes XES with one trace per order', () => {
    const xes = readFileSync(join(out, 'scenario.xes'), 'utf8');
    expect(xes.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1849-2016"')).toBe(true);
    expect(xes.match(/<trace>/g)).toHaveLength(16);
    expect(xes.match(/<event>/g)).toHaveLength([...run.logs.values()].reduce((n, l) => n + l.length, 0));
    expect(xes.trimEnd().endsWith('</log>')).toBe(true);
  });
});

describe('OCEL 2.0 export of hand-worked logs', () => {
  it('validates, and the schema rejects a document without its objects', () => {
    const doc = JSON.parse(toOcelJson([...handLogs()].map(([orderId, entries]) => ({ orderId, entries }))));
    const validate = ocelValidator();
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(referentialProblems(doc)).toEqual([]);
    const { objects: _o, ...broken } = doc;
    expect(validate(broken)).toBe(false);
    // Order B's exception is one object, raised, escalated and decided.
    const links = doc.events.flatMap((e: { relationships: Array<{ objectId: string; qualifier: string }> }) => e.relationships).filter((r: { objectId: string }) => r.objectId === 'exception:X-B');
    expect(links.map((r: { qualifier: string }) => r.qualifier).sort()).toEqual(['decides', 'escalates', 'raises']);
    const exc = doc.objects.find((o: { id: string }) => o.id === 'exception:X-B');
    expect(exc.attributes.filter((a: { name: string }) => a.name === 'status').map((a: { value: string }) => a.value)).toEqual(['OPEN', 'RESOLVED']);
  });
});

/**
 * The page in a real headless Chromium (Debian's /usr/bin/chromium through playwright-core): it
 * renders, the four charts are there with their marks, and the console stays clean.
 */
describe('the HTML report in headless Chromium', () => {
  const executablePath = '/usr/bin/chromium';
  let chromium: typeof import('playwright-core').chromium;
  beforeAll(() => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      chromium = require('playwright-core').chromium;
    } catch {
      throw new Error('playwright-core is not installed: npm install --save-dev playwright-core (the browser test needs it)');
    }
    if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install -y chromium`);
  });

  it('renders the scenario page with its charts and no console error', async () => {
    const page = join(out, 'scenario-report.html');
    if (!existsSync(page)) {
      // The page comes from the scenario run above; run alone, make it from a fresh run.
      const run = await runScenario(16);
      try {
        await runReport(new MemoryLogSource(run.logs), { html: page });
      } finally {
        await run.world.close();
      }
    }
    const browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      tab.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await tab.goto(`file://${page}`, { waitUntil: 'load' });
      expect(await tab.title()).toBe('Order-to-ship process report');
      const charts = await tab.$$eval('figure[data-chart]', (figures) =>
        figures.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return { chart: f.getAttribute('data-chart'), marks: svg ? svg.querySelectorAll('rect, polygon, polyline, line').length : 0, width: box?.width ?? 0, height: box?.height ?? 0 };
        }),
      );
      expect(charts.map((c) => c.chart)).toEqual(['stage-waiting', 'cycle-time', 'exceptions-by-category', 'exceptions-by-source', 'variants']);
      for (const c of charts) {
        expect(c.marks).toBeGreaterThan(3);
        expect(c.width).toBeGreaterThan(200);
        expect(c.height).toBeGreaterThan(80);
      }
      const tiles = await tab.$$eval('.tile .label', (els) => els.map((e) => e.textContent));
      expect(tiles).toEqual(expect.arrayContaining(['Orders', 'Shipped on time', 'Delivered on time', 'Bottleneck']));
      expect(await tab.textContent('#waiting')).toContain('(bottleneck)');
      await tab.screenshot({ path: join(out, 'scenario-report.png'), fullPage: true });
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
