/**
 * JSONata as Step Functions runs it: `{% expr %}` strings anywhere in a field, `$states` bound
 * to the state's input/result/errorOutput/context, workflow variables bound by name, and AWS's
 * extra functions ($partition, $range, $hash, $random, $uuid, $parse).
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { StatesError } from './errors';
import { HASH_ALGORITHMS } from './util';

export interface JsonataScope {
  states: { input: unknown; context: unknown; result?: unknown; errorOutput?: unknown };
  variables: Record<string, unknown>;
}

export function isJsonataExpression(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('{%') && v.endsWith('%}') && v.length >= 4;
}

function queryError(cause: string): StatesError {
  return new StatesError('States.QueryEvaluationError', cause);
}

type Expr = ReturnType<typeof jsonata>;
const cache = new Map<string, Expr>();

/** A deterministic PRNG for `$random(seed)` (mulberry32 over a string hash of the seed). */
function seededRandom(seed: unknown): number {
  let h = 2166136261;
  for (const ch of JSON.stringify(seed) ?? '') h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  let t = (h + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}


function registerAwsFunctions(expr: Expr): void {
  expr.registerFunction(
    'partition',
    (array: unknown, size: unknown) => {
      if (!Array.isArray(array)) throw queryError('The $partition function expects an array as its first argument');
      if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
        throw queryError('The $partition function expects a positive integer as its second argument');
      }
      const out: unknown[][] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
      return out;
    },
  );
  expr.registerFunction('range', (start: unknown, end: unknown, step: unknown) => {
    if (typeof start !== 'number' || typeof end !== 'number' || typeof step !== 'number' || step === 0) {
      throw queryError('The $range function expects numeric start, end and a non-zero step');
    }
    const out: number[] = [];
    if (step > 0) for (let v = start; v <= end; v += step) out.push(v);
    else for (let v = start; v >= end; v += step) out.push(v);
    if (out.length > 1000) throw queryError('The $range function returned more than 1000 items');
    // JSONata sequences of one item are the item itself.
    return out.length === 1 ? out[0] : out;
  });
  expr.registerFunction('hash', (value: unknown, algorithm: unknown) => {
    const algo = HASH_ALGORITHMS[String(algorithm ?? 'SHA-256')];
    if (!algo) throw queryError(`The $hash function does not support the algorithm ${String(algorithm)}`);
    if (typeof value !== 'string') throw queryError('The $hash function expects a string as its first argument');
    return createHash(algo).update(value).digest('hex');
  });
  expr.registerFunction('random', (seed?: unknown) => (seed === undefined ? Math.random() : seededRandom(seed)));
  expr.registerFunction('uuid', () => randomUUID());
  expr.registerFunction('parse', (text: unknown) => {
    if (typeof text !== 'string') throw queryError('The $parse function expects a string');
    try {
      return JSON.parse(text);
    } catch {
      throw queryError(`The $parse function could not parse the string as JSON: ${text}`);
    }
  });
}

function compile(source: string): Expr {
  let expr = cache.get(source);
  if (!expr) {
    try {
      expr = jsonata(source);
    } catch (e) {
      throw queryError(`The JSONata expression '${source}' could not be parsed: ${(e as Error).message}`);
    }
    registerAwsFunctions(expr);
    if (cache.size > 5000) cache.clear();
    cache.set(source, expr);
  }
  return expr;
}

/** A JSONata function value: a JS function, a lambda (`function($x){…}`) or a built-in (`$sum`). */
function isJsonataFunction(v: unknown): boolean {
  if (typeof v === 'function') return true;
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return o._jsonata_lambda === true || o._jsonata_function !== undefined;
}

/**
 * jsonata returns arrays tagged as sequences and may return functions; keep plain JSON. A lambda
 * nested in the result carries its environment, which is circular: when the plain copy fails on
 * one, function values are dropped (as in JSON). A built-in (`$sum`) nested in a result is a plain
 * object to JSON and stays in its jsonata form.
 */
function toJson(v: unknown): unknown {
  if (v === undefined) return undefined;
  if (typeof v === 'function') return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    text = JSON.stringify(v, (_k, x) => (isJsonataFunction(x) ? undefined : x));
  }
  return text === undefined ? undefined : JSON.parse(text);
}

/** Evaluates one expression (the text between `{%` and `%}`). `field` names it in errors. */
export async function evaluateExpression(source: string, scope: JsonataScope, field: string): Promise<unknown> {
  const expr = compile(source);
  const bindings: Record<string, unknown> = { ...scope.variables, states: scope.states };
  let value: unknown;
  try {
    value = await expr.evaluate(scope.states.input, bindings);
  } catch (e) {
    if (e instanceof StatesError) throw e;
    const err = e as { message?: string; code?: string };
    throw queryError(`The JSONata expression '${source}' specified for the field '${field}' returned an error: ${err.message ?? String(e)}`);
  }
  if (value === undefined) {
    throw queryError(`The JSONata expression '${source}' specified for the field '${field}' returned nothing (undefined).`);
  }
  if (isJsonataFunction(value)) {
    // A function is no JSON value: the field gets no usable result.
    throw queryError(`The JSONata expression '${source}' specified for the field '${field}' returned an unexpected result type. Expected a JSON value, but was 'function'`);
  }
  return toJson(value);
}

/** The source between the delimiters of a `{% … %}` string. */
export function expressionSource(v: string): string {
  return v.slice(2, -2).trim();
}

/**
 * Evaluates a JSONata-language field value: a `{% %}` string is an expression, objects and
 * arrays are walked (their `{% %}` strings evaluated), anything else is a literal.
 */
export async function evaluateTemplate(template: unknown, scope: JsonataScope, field: string): Promise<unknown> {
  if (isJsonataExpression(template)) return evaluateExpression(expressionSource(template), scope, field);
  if (Array.isArray(template)) {
    const out: unknown[] = [];
    for (let i = 0; i < template.length; i++) out.push(await evaluateTemplate(template[i], scope, `${field}[${i}]`));
    return out;
  }
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) out[k] = await evaluateTemplate(v, scope, `${field}/${k}`);
    return out;
  }
  return template;
}

/** True when a template has no `{% %}` anywhere (it can then be used as is, without awaiting). */
export function isStaticTemplate(template: unknown): boolean {
  if (typeof template === 'string') return !isJsonataExpression(template);
  if (Array.isArray(template)) return template.every(isStaticTemplate);
  if (template !== null && typeof template === 'object') return Object.values(template).every(isStaticTemplate);
  return true;
}
