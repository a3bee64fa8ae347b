/**
 * Validating and compiling an event pattern.
 *
 * The compiler walks the pattern in document order and stops at the first fault, because that is
 * what AWS reports; every message after `Event pattern is not valid. Reason: ` is AWS's own
 * wording. A valid pattern becomes a list of flat alternatives (one per `$or` branch
 * combination), each mapping a dotted field path to the matchers for that path.
 */
import { invalidPattern } from '../errors';
import { cidrBlock, parseIp } from './ip';
import { parseJsonText, JsonTextError } from './json-text';
import type { Alternative, CompiledPattern, Matcher, NumericOp, Scalar } from './types';
import { tokenize, wildcardFault } from './wildcard';

/** AWS refuses a pattern whose `$or` branches multiply out past this many combinations. */
const MAX_COMBINATIONS = 1000;

const OR_RESERVED_KEYS = new Set([
  'anything-but', 'prefix', 'suffix', 'equals-ignore-case', 'numeric', 'exists', 'cidr', 'wildcard',
]);

class PatternFault extends Error {
  constructor(
    reason: string,
    /** A limit rather than a malformed pattern: never retried with `$or` read as a field name. */
    readonly limit = false,
  ) {
    super(reason);
  }
}

type Json = Scalar | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Compiled patterns are branded so a raw pattern with the same keys is never mistaken for one. */
const compiledPatterns = new WeakSet<object>();

export function isCompiledPattern(p: unknown): p is CompiledPattern {
  return typeof p === 'object' && p !== null && compiledPatterns.has(p);
}

export function compileEventPattern(pattern: string | object): CompiledPattern {
  let parsed: unknown = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = parseJsonText(pattern);
    } catch (e) {
      if (e instanceof JsonTextError) throw invalidPattern(e.message);
      throw e;
    }
  }
  if (!isObject(parsed)) {
    const source = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
    throw invalidPattern(`Filter is not an object\n at [Source: (String)"${source}"; line: 1, column: 2]`);
  }
  try {
    const compiled: CompiledPattern = { alternatives: compileAlternatives(parsed), source: parsed };
    compiledPatterns.add(compiled);
    return compiled;
  } catch (e) {
    if (e instanceof PatternFault) throw invalidPattern(e.message);
    throw e;
  }
}

function compileAlternatives(pattern: Record<string, Json>): Alternative[] {
  // `$or` was added to the pattern language later; AWS compiles with the `$or`-aware compiler
  // first and, when that refuses the pattern, retries reading `$or` as an ordinary field name.
  try {
    return walkObject([new Map()], '', pattern, true, false);
  } catch (e) {
    if (!(e instanceof PatternFault) || e.limit) throw e;
    return walkObject([new Map()], '', pattern, false, false);
  }
}

function walkObject(
  alternatives: Alternative[],
  path: string,
  obj: Record<string, Json>,
  expandOr: boolean,
  insideOr: boolean,
): Alternative[] {
  const keys = Object.keys(obj);
  if (keys.length === 0) throw new PatternFault('Empty objects are not allowed');
  for (const key of keys) {
    const value = obj[key];
    if (key === '$or' && expandOr) {
      alternatives = walkOr(alternatives, path, value);
      continue;
    }
    if (insideOr && OR_RESERVED_KEYS.has(key)) {
      throw new PatternFault(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    }
    const childPath = path === '' ? key : `${path}.${key}`;
    if (isObject(value)) {
      alternatives = walkObject(alternatives, childPath, value, expandOr, insideOr);
    } else if (Array.isArray(value)) {
      const matchers = compileValueList(value);
      // A later write to the same path replaces an earlier one, as in AWS's compiler.
      for (const alternative of alternatives) alternative.set(childPath, matchers);
    } else {
      throw new PatternFault(`"${key}" must be an object or an array`);
    }
  }
  return alternatives;
}

function walkOr(alternatives: Alternative[], path: string, members: Json): Alternative[] {
  if (!Array.isArray(members)) throw new PatternFault('It must be an Array followed with $or.');
  const result: Alternative[] = [];
  for (const member of members) {
    if (!isObject(member)) throw new PatternFault('Only JSON object is allowed in array of $or relationship.');
    const forked = alternatives.map((a) => new Map(a));
    result.push(...walkObject(forked, path, member, true, true));
    if (result.length > MAX_COMBINATIONS) {
      throw new PatternFault(`Event pattern contains more than ${MAX_COMBINATIONS} rule combinations`, true);
    }
  }
  if (members.length < 2) throw new PatternFault('There must have at least 2 Objects in $or relationship.');
  return result;
}

function compileValueList(values: Json[]): Matcher[] {
  if (values.length === 0) throw new PatternFault('Empty arrays are not allowed');
  return values.map((item) => {
    if (Array.isArray(item)) throw new PatternFault('Match value must be String, number, true, false, or null');
    if (isObject(item)) return compileExpression(item);
    return { kind: 'exact', value: item };
  });
}

function compileExpression(expression: Record<string, Json>): Matcher {
  const keys = Object.keys(expression);
  if (keys.length === 0) throw new PatternFault('Match expression name not found');
  const op = keys[0];
  const operand = expression[op];
  let matcher: Matcher;
  switch (op) {
    case 'prefix':
    case 'suffix':
      matcher = compileAffix(op, operand);
      break;
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw new PatternFault('equals-ignore-case match pattern must be a string');
      matcher = { kind: 'equals-ignore-case', value: operand };
      break;
    case 'wildcard':
      matcher = compileWildcard(operand);
      break;
    case 'exists':
      if (typeof operand !== 'boolean') throw new PatternFault('exists match pattern must be either true or false.');
      matcher = { kind: 'exists', exists: operand };
      break;
    case 'numeric':
      matcher = compileNumeric(operand);
      break;
    case 'cidr':
      matcher = compileCidr(operand);
      break;
    case 'anything-but':
      matcher = compileAnythingBut(operand);
      break;
    default:
      throw new PatternFault(`Unrecognized match type ${op}`);
  }
  if (keys.length > 1) {
    // AWS's reader consumes the operand before it notices a second key; for these two operators
    // that lands in the operand's own arity check.
    if (op === 'numeric' || op === 'anything-but') throw new PatternFault('Too many elements in numeric expression');
    throw new PatternFault('Only one key allowed in match expression');
  }
  return matcher;
}

function compileAffix(op: 'prefix' | 'suffix', operand: Json): Matcher {
  if (isObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length === 0) throw new PatternFault(`${op === 'prefix' ? 'Prefix' : 'Suffix'} expression name not found`);
    if (keys[0] !== 'equals-ignore-case') throw new PatternFault(`Unsupported ${op} pattern: ${keys[0]}`);
    if (keys.length > 1) throw new PatternFault('Only one key allowed in match expression');
    const inner = operand['equals-ignore-case'];
    if (typeof inner !== 'string') throw new PatternFault('equals-ignore-case match pattern must be a string');
    return { kind: op, value: inner, ignoreCase: true };
  }
  if (typeof operand !== 'string') throw new PatternFault(`${op} match pattern must be a string`);
  return { kind: op, value: operand, ignoreCase: false };
}

function compileWildcard(operand: Json): Matcher {
  if (typeof operand !== 'string') throw new PatternFault('wildcard match pattern must be a string');
  const fault = wildcardFault(operand);
  if (fault) throw new PatternFault(fault);
  return { kind: 'wildcard', tokens: tokenize(operand) };
}

const NUMERIC_OPS: Record<string, string> = { '=': 'equals', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function token(v: Json | undefined): string {
  if (Array.isArray(v)) return '[';
  if (isObject(v)) return '{';
  return String(v);
}

function threshold(name: string, v: Json | undefined): number {
  if (typeof v !== 'number') throw new PatternFault(`Value of ${name} must be numeric`);
  if (!Number.isFinite(v)) throw new PatternFault(`Cannot compare number : ${v}`);
  return v;
}

function compileNumeric(operand: Json): Matcher {
  // A single comparison, or a lower bound (`>`/`>=`) followed by an upper bound (`<`/`<=`).
  if (!Array.isArray(operand)) throw new PatternFault('Value of numeric must be an array.');
  if (operand.length === 0) throw new PatternFault('Invalid member in numeric match: ]');
  const first = operand[0];
  if (typeof first !== 'string') throw new PatternFault(`Invalid member in numeric match: ${token(first)}`);
  if (!(first in NUMERIC_OPS)) throw new PatternFault(`Unrecognized numeric range operator: ${first}`);
  const conditions = [{ op: first as NumericOp, value: threshold(NUMERIC_OPS[first], operand[1]) }];
  if (operand.length > 2) {
    if (first !== '>' && first !== '>=') throw new PatternFault('Too many elements in numeric expression');
    const second = operand[2];
    if (typeof second !== 'string') throw new PatternFault(`Bad value in numeric range: ${token(second)}`);
    if (second !== '<' && second !== '<=') throw new PatternFault(`Bad numeric range operator: ${second}`);
    const top = threshold(NUMERIC_OPS[second], operand[3]);
    if (!(conditions[0].value < top)) throw new PatternFault('Bottom must be less than top');
    if (operand.length > 4) throw new PatternFault('Too many terms in numeric range expression');
    conditions.push({ op: second, value: top });
  }
  return { kind: 'numeric', conditions };
}

function compileCidr(operand: Json): Matcher {
  // "prefix" in this message is AWS's own wording for a non-string cidr operand.
  if (typeof operand !== 'string') throw new PatternFault('prefix match pattern must be a string');
  const parts = operand.split('/');
  if (parts.length !== 2 || parts[1] === '') throw new PatternFault("Malformed CIDR, one '/' required");
  const [address, mask] = parts;
  if (!/^[+-]?[0-9]+$/.test(mask)) throw new PatternFault('Malformed CIDR, mask bits must be an integer');
  const bits = Number(mask);
  if (bits < 0) throw new PatternFault('Malformed CIDR, mask bits must not be negative');
  const ip = parseIp(address);
  if (!ip) throw new PatternFault(`Nonstandard IP address: ${address}`);
  if (ip.version === 4 && bits > 31) throw new PatternFault('IPv4 mask bits must be < 32');
  if (ip.version === 6 && bits > 127) throw new PatternFault('IPv6 mask bits must be < 128');
  return { kind: 'cidr', block: cidrBlock(ip, bits) };
}

const ANYTHING_BUT_VALUE = 'Value of anything-but must be an array or single string/number value.';

function compileAnythingBut(operand: Json): Matcher {
  if (isObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length === 0) throw new PatternFault('Anything-But expression name not found');
    const inner = keys[0];
    if (!['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(inner)) {
      throw new PatternFault(`Unsupported anything-but pattern: ${inner}`);
    }
    if (keys.length > 1) throw new PatternFault('Only one key allowed in match expression');
    return { kind: 'anything-but', excluded: compileAnythingButNested(inner, operand[inner]) };
  }
  if (Array.isArray(operand)) {
    for (const v of operand) {
      if (v === null || typeof v === 'boolean' || typeof v === 'object') {
        throw new PatternFault('Inside anything but list, start|null|boolean is not supported.');
      }
    }
    const kinds = new Set(operand.map((v) => typeof v));
    if (operand.length === 0 || kinds.size > 1) {
      throw new PatternFault('Inside anything but list, either all values are number or string, mixed type is not supported');
    }
    return { kind: 'anything-but', excluded: operand.map((v) => ({ kind: 'exact', value: v as Scalar })) };
  }
  if (operand === null || typeof operand === 'boolean') throw new PatternFault(ANYTHING_BUT_VALUE);
  return { kind: 'anything-but', excluded: [{ kind: 'exact', value: operand }] };
}

function compileAnythingButNested(inner: string, operand: Json): Matcher[] {
  if (isObject(operand)) throw new PatternFault(ANYTHING_BUT_VALUE);
  const candidates = Array.isArray(operand) ? operand : [operand];
  if (candidates.length === 0) throw new PatternFault('Empty arrays are not allowed');
  return candidates.map((c): Matcher => {
    switch (inner) {
      case 'prefix':
      case 'suffix':
        if (typeof c !== 'string') throw new PatternFault('prefix/suffix match pattern must be a string');
        if (c === '') throw new PatternFault('Null prefix/suffix not allowed');
        return { kind: inner, value: c, ignoreCase: false };
      case 'equals-ignore-case':
        if (typeof c !== 'string') {
          throw new PatternFault('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
        }
        return { kind: 'equals-ignore-case', value: c };
      default:
        return compileWildcard(c);
    }
  });
}
