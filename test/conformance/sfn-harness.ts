/**
 * Runs the AWS-recorded Step Functions cases (../shared/conformance/sfn-cases.json) on the
 * engine: test clock, in-memory store, in-process Lambda functions built from each case's
 * `lambdas` data, and the README's comparison rules (status; output deep-equal with masks as
 * wildcards; error name; cause not scored).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Engine, MemoryExecutionStore, TestClock, type ServiceIntegrations } from '../../local/engine';

export interface SfnCase {
  id: string;
  category: string;
  definition: unknown;
  input: unknown;
  expected: { status: string; output?: unknown; error?: string; cause?: unknown };
  needs?: string[];
  lambdas?: Record<string, LambdaBehaviour>;
  masks?: { values?: string[]; substrings?: string[] };
  recordedAs?: string;
}

interface LambdaBehaviour {
  returnInput?: boolean;
  return?: unknown;
  raise?: { name: string; message: string; stackTrace: string[] };
  sleepMs?: number;
}

export interface CaseResult {
  id: string;
  category: string;
  passed: boolean;
  reason?: string;
  needs: string[];
}

export function casesFile(): string {
  const dir = process.env.CONFORMANCE_DIR ?? path.resolve(__dirname, '../../../shared/conformance');
  return path.join(dir, 'sfn-cases.json');
}

export function loadCases(file = casesFile()): SfnCase[] {
  if (!fs.existsSync(file)) throw new Error(`conformance cases not found at ${file} (set CONFORMANCE_DIR)`);
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { cases: SfnCase[] };
  return data.cases;
}

/** Python's `json.dumps` spacing, which is how a Python Lambda's error body reads. */
function pythonJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pythonJson).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pythonJson(x)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(v);
}

function serviceError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/**
 * In-process integrations for one case: its Lambda functions, and otherwise an empty account: a
 * DynamoDB with no tables, a Secrets Manager with no secrets. Other aws-sdk services are not
 * emulated (the task fails with `<Service>.ResourceNotFoundException`, as with no integration).
 */
export function caseIntegrations(c: SfnCase): ServiceIntegrations {
  const lambdas = c.lambdas ?? {};
  return {
    async invokeLambda(request, ctx) {
      const fn = lambdas[request.functionName];
      if (!fn) {
        throw serviceError(
          'ResourceNotFoundException',
          `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${request.functionName}:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${randomUUID()}; Proxy: null)`,
        );
      }
      if (fn.sleepMs) await ctx.sleep(fn.sleepMs);
      if (fn.raise) {
        const body = { errorMessage: fn.raise.message, errorType: fn.raise.name, requestId: randomUUID(), stackTrace: fn.raise.stackTrace };
        return { payload: pythonJson(body), functionError: 'Unhandled' };
      }
      // A Python handler's response is serialized by json.dumps (spaces after ':' and ',').
      if (fn.returnInput) {
        const event = request.payload === undefined || request.payload === null ? {} : typeof request.payload === 'string' ? JSON.parse(request.payload) : request.payload;
        return { payload: pythonJson(event) };
      }
      return { payload: pythonJson(fn.return ?? null) };
    },
    async awsSdk(service, action) {
      if (service === 'secretsmanager' && action === 'listSecrets') return { SecretList: [] };
      if (service === 'secretsmanager') throw serviceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      throw serviceError('ResourceNotFoundException', `No aws-sdk:${service} integration in the conformance harness`);
    },
    async dynamodb(action, params) {
      const table = params.TableName;
      if (typeof table === 'string' && !/^[a-zA-Z0-9_.-]{3,255}$/.test(table)) {
        throw serviceError('ValidationException', `1 validation error detected: Value '${table}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
      }
      if (action === 'PutItem' && (params.Item === null || params.Item === undefined)) {
        throw serviceError('ValidationException', `1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null`);
      }
      throw serviceError('ResourceNotFoundException', 'Requested resource not found');
    },
  };
}

// ---- comparison -------------------------------------------------------------------------

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function stringMatches(expected: string, actual: unknown, masks: SfnCase['masks']): boolean {
  if (masks?.values?.includes(expected)) return true;
  if (/^<[^<>]+>$/.test(expected)) return true;
  if (typeof actual !== 'string') return false;
  if (expected === actual) return true;
  let pattern = '';
  const parts = expected.split(/(<[^<>]+>|111111111111)/);
  for (const part of parts) {
    if (/^<[^<>]+>$/.test(part)) pattern += '[\\s\\S]*';
    else if (part === '111111111111') pattern += '\\d{12}';
    else {
      let p = escapeRegex(part);
      for (const sub of masks?.substrings ?? []) p = p.split(escapeRegex(sub)).join('[\\s\\S]*');
      pattern += p;
    }
  }
  return new RegExp(`^${pattern}$`).test(actual);
}

export function valueMatches(expected: unknown, actual: unknown, masks: SfnCase['masks'], where = '$'): string | undefined {
  if (typeof expected === 'string') {
    return stringMatches(expected, actual, masks) ? undefined : `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  }
  if (expected !== null && typeof expected === 'object' && typeof actual === 'string') {
    try {
      actual = JSON.parse(actual);
    } catch {
      return `${where}: expected ${JSON.stringify(expected)}, got string ${JSON.stringify(actual)}`;
    }
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const r = valueMatches(expected[i], actual[i], masks, `${where}[${i}]`);
      if (r) return r;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const ek = Object.keys(e).sort();
    const ak = Object.keys(a).sort();
    if (ek.join('\u0000') !== ak.join('\u0000')) return `${where}: keys ${JSON.stringify(ek)} != ${JSON.stringify(ak)}`;
    for (const k of ek) {
      const r = valueMatches(e[k], a[k], masks, `${where}.${k}`);
      if (r) return r;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

// ---- running ----------------------------------------------------------------------------

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms)))]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export async function runCase(c: SfnCase, realTimeLimitMs = 10_000): Promise<CaseResult> {
  const base = { id: c.id, category: c.category, needs: c.needs ?? [] };
  const engine = await Engine.start({ clock: new TestClock(), store: new MemoryExecutionStore(), integrations: caseIntegrations(c) });
  try {
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'conformance',
      definition: JSON.stringify(c.definition),
      roleArn: 'arn:aws:iam::000000000000:role/conformance',
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify(c.input) });
    const d = await withTimeout(engine.waitForExecution(executionArn), realTimeLimitMs, 'execution');
    if (d.status !== c.expected.status) {
      return { ...base, passed: false, reason: `status ${d.status} (${d.error ?? ''}: ${String(d.cause ?? '').slice(0, 300)}), expected ${c.expected.status}` };
    }
    if (d.status === 'SUCCEEDED') {
      const out = JSON.parse(d.output ?? 'null');
      const diff = valueMatches(c.expected.output, out, c.masks);
      return diff ? { ...base, passed: false, reason: `output ${diff}` } : { ...base, passed: true };
    }
    if ((d.error ?? undefined) !== (c.expected.error ?? undefined)) {
      return { ...base, passed: false, reason: `error ${d.error} (${String(d.cause ?? '').slice(0, 300)}), expected ${c.expected.error}` };
    }
    return { ...base, passed: true };
  } catch (e) {
    return { ...base, passed: false, reason: `${(e as Error).name}: ${(e as Error).message}`.slice(0, 400) };
  } finally {
    await engine.close({ flush: false });
  }
}

export interface CategoryRow {
  category: string;
  passed: number;
  total: number;
}

export function summarize(results: CaseResult[]): { rows: CategoryRow[]; passed: number; total: number } {
  const by = new Map<string, CategoryRow>();
  for (const r of results) {
    let row = by.get(r.category);
    if (!row) by.set(r.category, (row = { category: r.category, passed: 0, total: 0 }));
    row.total++;
    if (r.passed) row.passed++;
  }
  const rows = [...by.values()].sort((a, b) => a.category.localeCompare(b.category));
  return { rows, passed: results.filter((r) => r.passed).length, total: results.length };
}

export function formatTable(results: CaseResult[]): string {
  const { rows, passed, total } = summarize(results);
  const pct = (p: number, t: number) => (t ? ((100 * p) / t).toFixed(1) : '0.0');
  const lines = ['| category | passed | total | rate |', '|---|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.category} | ${r.passed} | ${r.total} | ${pct(r.passed, r.total)}% |`);
  lines.push(`| **all** | **${passed}** | **${total}** | **${pct(passed, total)}%** |`);
  return lines.join('\n');
}

export async function runAll(cases: SfnCase[]): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of cases) results.push(await runCase(c));
  return results;
}
