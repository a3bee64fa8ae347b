import { StatesError } from '../errors';
import { isObject } from './jsonpath';
import { readScopedPath, scopedPathExists } from './paths';
import type { Scope } from './scope';

export type { Scope } from './scope';

/**
 * Parses an RFC 3339 timestamp as Step Functions accepts it (uppercase `T` between date and time,
 * `Z` or a numeric `±hh:mm` offset, optional fractional seconds). Returns a comparable key
 * (epoch seconds and nanoseconds), or `null` when the string is not a timestamp.
 */
export function parseTimestamp(s: unknown): { seconds: number; nanos: number } | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(se);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const dim = utcDate(year, month, 0).getUTCDate();
  if (day > dim) return null;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 18 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const date = utcDate(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const epochMs = date.getTime();
  const seconds = epochMs / 1000 - offsetMinutes * 60;
  const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { seconds, nanos };
}

/** A UTC date that, unlike Date.UTC, does not map years 0-99 to 1900-1999. */
function utcDate(year: number, monthIndex: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d;
}

function compareTimestamps(a: { seconds: number; nanos: number }, b: { seconds: number; nanos: number }): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  return a.nanos === b.nanos ? 0 : a.nanos < b.nanos ? -1 : 1;
}

/** `StringMatches`: `*` matches any run of characters; `\*` and `\\` are a literal `*` and `\`. */
export function stringMatches(value: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      re += escapeRegex(pattern[i + 1]);
      i++;
    } else if (c === '*') {
      re += '[\\s\\S]*';
    } else {
      re += escapeRegex(c);
    }
  }
  re += '$';
  return new RegExp(re, 'u').test(value);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
type Op = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals' | 'Matches';

const COMPARATOR = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThanEquals|GreaterThanEquals|LessThan|GreaterThan|Matches)(Path)?$/;

const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;

function cmpResult(op: Op, d: number): boolean {
  switch (op) {
    case 'Equals':
      return d === 0;
    case 'LessThan':
      return d < 0;
    case 'GreaterThan':
      return d > 0;
    case 'LessThanEquals':
      return d <= 0;
    case 'GreaterThanEquals':
      return d >= 0;
    default:
      return false;
  }
}

function compare(kind: Kind, op: Op, value: unknown, expected: unknown): boolean {
  switch (kind) {
    case 'String': {
      if (typeof value !== 'string' || typeof expected !== 'string') return false;
      if (op === 'Matches') return stringMatches(value, expected);
      return cmpResult(op, value < expected ? -1 : value > expected ? 1 : 0);
    }
    case 'Numeric': {
      if (typeof value !== 'number' || typeof expected !== 'number') return false;
      return cmpResult(op, value < expected ? -1 : value > expected ? 1 : 0);
    }
    case 'Boolean': {
      if (typeof value !== 'boolean' || typeof expected !== 'boolean') return false;
      return op === 'Equals' && value === expected;
    }
    case 'Timestamp': {
      const a = parseTimestamp(value);
      const b = parseTimestamp(expected);
      if (!a || !b) return false;
      return cmpResult(op, compareTimestamps(a, b));
    }
  }
}

function typeTest(test: (typeof TYPE_TESTS)[number], value: unknown): boolean {
  switch (test) {
    case 'IsNull':
      return value === null;
    case 'IsNumeric':
      return typeof value === 'number';
    case 'IsString':
      return typeof value === 'string';
    case 'IsBoolean':
      return typeof value === 'boolean';
    case 'IsTimestamp':
      return parseTimestamp(value) !== null;
    case 'IsPresent':
      return true;
  }
}

/**
 * Evaluates a JSONPath Choice rule (a `Choices` entry, or a nested rule of And/Or/Not) against the scope.
 * Comparing a value of the wrong type yields false; a `Variable` path that matches nothing is a
 * States.Runtime error, except under `IsPresent`.
 */
export function evaluateChoiceRule(rule: Record<string, unknown>, scope: Scope): boolean {
  if (!isObject(rule)) throw new StatesError('States.Runtime', 'Invalid choice rule: expected an object');
  if (Array.isArray(rule.And)) return rule.And.every((r) => evaluateChoiceRule(r as Record<string, unknown>, scope));
  if (Array.isArray(rule.Or)) return rule.Or.some((r) => evaluateChoiceRule(r as Record<string, unknown>, scope));
  if (rule.Not !== undefined) return !evaluateChoiceRule(rule.Not as Record<string, unknown>, scope);

  const variable = rule.Variable;
  if (typeof variable !== 'string') {
    throw new StatesError('States.Runtime', 'Invalid choice rule: missing Variable');
  }

  if (rule.IsPresent !== undefined) {
    const present = scopedPathExists(variable, scope);
    return present === rule.IsPresent;
  }

  for (const test of TYPE_TESTS) {
    if (rule[test] !== undefined) {
      const value = readScopedPath(variable, scope, 'Choice');
      return typeTest(test, value) === rule[test];
    }
  }

  for (const key of Object.keys(rule)) {
    const m = COMPARATOR.exec(key);
    if (!m) continue;
    const kind = m[1] as Kind;
    const op = m[2] as Op;
    if (op === 'Matches' && kind !== 'String') continue;
    if (kind === 'Boolean' && op !== 'Equals') continue;
    const value = readScopedPath(variable, scope, 'Choice');
    let expected = rule[key];
    if (m[3]) {
      if (typeof expected !== 'string') throw new StatesError('States.Runtime', `Invalid choice rule: ${key} must be a path`);
      expected = readScopedPath(expected, scope, 'Choice');
    }
    return compare(kind, op, value, expected);
  }

  throw new StatesError('States.Runtime', `Invalid choice rule: no comparison operator in ${JSON.stringify(rule)}`);
}
