import { createHash, randomUUID } from 'node:crypto';
import { StatesError } from '../errors';
import { HASH_ALGORITHMS, memoizeBySource } from '../util';
import { deepEqual, isObject } from './jsonpath';
import { readScopedPath } from './paths';
import type { Scope } from './scope';

export type { Scope } from './scope';

/** Parsed intrinsic expression. */
export type IntrinsicNode =
  | { t: 'call'; name: string; args: IntrinsicNode[] }
  | { t: 'literal'; value: unknown; raw?: string } // raw: the string literal's source text, escapes kept
  | { t: 'path'; path: string };

const MAX_NESTING = 10;

/** Characters a backslash escapes inside an intrinsic string literal; other backslashes are kept. */
const ESCAPABLE = new Set(["'", '{', '}', '\\']);

function intrinsicFailure(cause: string): StatesError {
  return new StatesError('States.IntrinsicFailure', cause);
}

/** True when a `.$` value is an intrinsic function call rather than a path. */
export function isIntrinsicExpression(s: unknown): boolean {
  return typeof s === 'string' && /^\s*States\.[A-Za-z0-9]+\s*\(/.test(s);
}

class IntrinsicParser {
  pos = 0;
  constructor(private readonly s: string) {}

  fail(msg: string): never {
    throw new StatesError('States.Runtime', `Invalid intrinsic function expression '${this.s}': ${msg}`);
  }

  ws(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++;
  }

  parseTop(): IntrinsicNode {
    this.ws();
    const node = this.parseCall(0);
    this.ws();
    if (this.pos !== this.s.length) this.fail(`unexpected '${this.s.slice(this.pos)}'`);
    return node;
  }

  parseCall(depth: number): IntrinsicNode {
    if (depth >= MAX_NESTING) this.fail(`more than ${MAX_NESTING} nested intrinsic functions`);
    const m = /^States\.([A-Za-z0-9]+)\s*\(/.exec(this.s.slice(this.pos));
    if (!m) this.fail('expected an intrinsic function call');
    this.pos += m[0].length;
    const args: IntrinsicNode[] = [];
    this.ws();
    if (this.s[this.pos] === ')') {
      this.pos++;
      return { t: 'call', name: m[1], args };
    }
    for (;;) {
      this.ws();
      args.push(this.parseArg(depth));
      this.ws();
      const c = this.s[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        return { t: 'call', name: m[1], args };
      }
      this.fail(c === undefined ? "missing ')'" : `unexpected '${c}'`);
    }
  }

  parseArg(depth: number): IntrinsicNode {
    const s = this.s;
    const c = s[this.pos];
    if (c === "'") return this.parseString();
    if (c === '$') return this.parsePath();
    if (s.startsWith('States.', this.pos)) return this.parseCall(depth + 1);
    const m = /^(-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|true|false|null)(?=\s*[,)])/.exec(s.slice(this.pos));
    if (m) {
      this.pos += m[0].length;
      return { t: 'literal', value: JSON.parse(m[0].replace(/^(-?)\./, '$10.').replace(/\.(?=$|[eE])/, '')) };
    }
    this.fail(`invalid argument at '${s.slice(this.pos)}'`);
  }

  parseString(): IntrinsicNode {
    const s = this.s;
    this.pos++; // opening quote
    let value = '';
    const start = this.pos;
    while (this.pos < s.length && s[this.pos] !== "'") {
      if (s[this.pos] === '\\' && this.pos + 1 < s.length && ESCAPABLE.has(s[this.pos + 1])) {
        this.pos++;
        value += s[this.pos];
      } else {
        value += s[this.pos];
      }
      this.pos++;
    }
    if (s[this.pos] !== "'") this.fail('unterminated string literal');
    const raw = s.slice(start, this.pos);
    this.pos++;
    return { t: 'literal', value, raw };
  }

  parsePath(): IntrinsicNode {
    const s = this.s;
    const start = this.pos;
    let depth = 0;
    let quote: string | null = null;
    while (this.pos < s.length) {
      const ch = s[this.pos];
      if (quote) {
        if (ch === '\\') this.pos++;
        else if (ch === quote) quote = null;
      } else if (ch === "'" || ch === '"') {
        if (depth > 0) quote = ch;
        else break;
      } else if (ch === '[' || ch === '(') depth++;
      else if (ch === ']' || ch === ')') {
        if (depth === 0) break;
        depth--;
      } else if (ch === ',' && depth === 0) break;
      this.pos++;
    }
    const path = s.slice(start, this.pos).trim();
    return { t: 'path', path };
  }
}

/** Parses an intrinsic function call (memoized by its text). */
export const parseIntrinsic: (expression: string) => IntrinsicNode = memoizeBySource((expression) => new IntrinsicParser(expression).parseTop(), 2000);

/** Evaluates an intrinsic function call such as `States.Format('{}-{}', $.a, $$.Execution.Name)`. */
export function evaluateIntrinsic(expression: string, scope: Scope, _field?: string): unknown {
  const node = parseIntrinsic(expression);
  try {
    return evalNode(node, scope);
  } catch (e) {
    if (e instanceof IntrinsicArgumentError) {
      throw new StatesError(e.error, `The function '${expression.trim()}' had the following error: ${e.detail}`);
    }
    throw e;
  }
}

/** A failure inside one call; evaluateIntrinsic turns it into a StatesError naming the whole expression. */
class IntrinsicArgumentError extends Error {
  constructor(
    readonly error: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

function stringifyInput(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return String(v);
  }
}

function evalNode(node: IntrinsicNode, scope: Scope): unknown {
  switch (node.t) {
    case 'literal':
      return node.value;
    case 'path':
      try {
        return readScopedPath(node.path, scope, 'path');
      } catch (e) {
        if (e instanceof StatesError && e.error === 'States.Runtime') {
          throw new IntrinsicArgumentError(
            'States.Runtime',
            `The JsonPath argument for the field '${node.path}' could not be found in the input '${stringifyInput(scope.input)}'`,
          );
        }
        throw e;
      }
    case 'call': {
      const fn = FUNCTIONS[node.name];
      if (!fn) throw new StatesError('States.Runtime', `Unsupported intrinsic function: States.${node.name}`);
      const args = node.args.map((a) => evalNode(a, scope));
      try {
        return fn(args, node);
      } catch (e) {
        if (e instanceof StatesError && e.error === 'States.IntrinsicFailure') throw new IntrinsicArgumentError(e.error, e.cause);
        throw e;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

type Fn = (args: unknown[], node: Extract<IntrinsicNode, { t: 'call' }>) => unknown;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function expectCount(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw intrinsicFailure(
      `Invalid arguments in States.${name}: expected ${expected} argument${min === 1 && max === 1 ? '' : 's'} but got ${args.length}`,
    );
  }
}

function expectArray(name: string, v: unknown, position: string): unknown[] {
  if (!Array.isArray(v)) throw intrinsicFailure(`Invalid arguments in States.${name}: the ${position} argument must be an array, but got ${typeName(v)}`);
  return v;
}

function expectString(name: string, v: unknown, position: string): string {
  if (typeof v !== 'string') throw intrinsicFailure(`Invalid arguments in States.${name}: the ${position} argument must be a string, but got ${typeName(v)}`);
  return v;
}

function expectNumber(name: string, v: unknown, position: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw intrinsicFailure(`Invalid arguments in States.${name}: the ${position} argument must be a number, but got ${typeName(v)}`);
  }
  return v;
}

/** Java's Math.round: halves round towards positive infinity (same as JS Math.round). */
function roundJava(v: number): number {
  return Math.round(v);
}

/** Renders a value the way AWS's States.Format does (Java toString of the JSON node). */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `${k}=${formatValue(x)}`).join(', ')}}`;
  return String(v);
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  // Java Double.toString uses scientific notation outside [1e-3, 1e7)
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) return String(n);
  const [mant, exp] = n.toExponential().split('e');
  const m = mant.includes('.') ? mant : `${mant}.0`;
  return `${m}E${exp.replace('+', '')}`;
}

function format(args: unknown[], node: Extract<IntrinsicNode, { t: 'call' }>): string {
  if (args.length < 1) throw intrinsicFailure('Invalid arguments in States.Format: expected at least 1 argument but got 0');
  const templateNode = node.args[0];
  const template = args[0];
  if (typeof template !== 'string') {
    throw intrinsicFailure(`Invalid arguments in States.Format: the first argument must be a string, but got ${typeName(template)}`);
  }
  // A literal keeps its escapes: `\{` and `\}` are literal braces, `{}` is a placeholder.
  const raw = templateNode.t === 'literal' && templateNode.raw !== undefined ? templateNode.raw : null;
  const values = args.slice(1);
  let out = '';
  let used = 0;
  const src = raw ?? template;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (raw !== null && c === '\\' && i + 1 < src.length && ESCAPABLE.has(src[i + 1])) {
      out += src[i + 1];
      i++;
      continue;
    }
    if (c === '{' && src[i + 1] === '}') {
      if (used >= values.length) {
        throw intrinsicFailure(
          `Invalid arguments in States.Format: the number of arguments (${values.length}) does not match the number of placeholders in the format string`,
        );
      }
      out += formatValue(values[used++]);
      i++;
      continue;
    }
    out += c;
  }
  if (used !== values.length) {
    throw intrinsicFailure(
      `Invalid arguments in States.Format: the number of arguments (${values.length}) does not match the number of placeholders in the format string (${used})`,
    );
  }
  return out;
}

function jsonToString(v: unknown): string {
  return JSON.stringify(v) ?? 'null';
}

const MAX_STRING_INPUT = 10000;

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function noNegativeZero(_key: string, v: unknown): unknown {
  return Object.is(v, -0) ? 0 : v;
}


const FUNCTIONS: Record<string, Fn> = {
  Format: format,

  StringToJson(args) {
    expectCount('StringToJson', args, 1);
    const s = expectString('StringToJson', args[0], 'first');
    if (s.trim() === '') return null;
    try {
      return JSON.parse(s, noNegativeZero);
    } catch {
      throw intrinsicFailure(`Invalid arguments in States.StringToJson: the argument '${s}' is not a valid JSON string`);
    }
  },

  JsonToString(args) {
    expectCount('JsonToString', args, 1);
    return jsonToString(args[0]);
  },

  Array(args) {
    return [...args];
  },

  ArrayPartition(args) {
    expectCount('ArrayPartition', args, 2);
    const arr = expectArray('ArrayPartition', args[0], 'first');
    const size = roundJava(expectNumber('ArrayPartition', args[1], 'second'));
    if (size <= 0) throw intrinsicFailure(`Invalid arguments in States.ArrayPartition: the chunk size must be a positive integer, but got ${size}`);
    const out: unknown[][] = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  },

  ArrayContains(args) {
    expectCount('ArrayContains', args, 2);
    const arr = expectArray('ArrayContains', args[0], 'first');
    return arr.some((x) => deepEqual(x, args[1]));
  },

  ArrayRange(args) {
    expectCount('ArrayRange', args, 3);
    const start = roundJava(expectNumber('ArrayRange', args[0], 'first'));
    const end = roundJava(expectNumber('ArrayRange', args[1], 'second'));
    const step = roundJava(expectNumber('ArrayRange', args[2], 'third'));
    if (step === 0) throw intrinsicFailure('Invalid arguments in States.ArrayRange: the step must not be zero');
    const count = Math.floor((end - start) / step) + 1;
    if (count > 1000) throw intrinsicFailure(`Invalid arguments in States.ArrayRange: the array range cannot contain more than 1000 items, but got ${count}`);
    const out: number[] = [];
    if (step > 0) for (let v = start; v <= end; v += step) out.push(v);
    else for (let v = start; v >= end; v += step) out.push(v);
    return out;
  },

  ArrayGetItem(args) {
    expectCount('ArrayGetItem', args, 2);
    const arr = expectArray('ArrayGetItem', args[0], 'first');
    const idx = expectNumber('ArrayGetItem', args[1], 'second');
    if (!Number.isInteger(idx)) {
      throw intrinsicFailure(`Invalid arguments in States.ArrayGetItem: the index must be an integer, but got ${formatNumber(idx)}`);
    }
    if (idx < 0 || idx >= arr.length) {
      throw intrinsicFailure(`Invalid arguments in States.ArrayGetItem: index ${idx} out of bounds for length ${arr.length}`);
    }
    return arr[idx];
  },

  ArrayLength(args) {
    expectCount('ArrayLength', args, 1);
    return expectArray('ArrayLength', args[0], 'first').length;
  },

  ArrayUnique(args) {
    expectCount('ArrayUnique', args, 1);
    const arr = expectArray('ArrayUnique', args[0], 'first');
    const out: unknown[] = [];
    for (const x of arr) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  },

  Base64Encode(args) {
    expectCount('Base64Encode', args, 1);
    const s = expectString('Base64Encode', args[0], 'first');
    if (codePoints(s) > MAX_STRING_INPUT) {
      throw intrinsicFailure(`Invalid arguments in States.Base64Encode: the input string must be at most ${MAX_STRING_INPUT} characters, but got ${codePoints(s)}`);
    }
    return Buffer.from(s, 'utf8').toString('base64');
  },

  Base64Decode(args) {
    expectCount('Base64Decode', args, 1);
    const s = expectString('Base64Decode', args[0], 'first');
    if (codePoints(s) > MAX_STRING_INPUT) {
      throw intrinsicFailure(`Invalid arguments in States.Base64Decode: the input string must be at most ${MAX_STRING_INPUT} characters, but got ${codePoints(s)}`);
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s.replace(/\s+/g, ''))) {
      throw intrinsicFailure(`Invalid arguments in States.Base64Decode: the input '${s}' is not a valid base64 string`);
    }
    return Buffer.from(s, 'base64').toString('utf8');
  },

  Hash(args) {
    expectCount('Hash', args, 2);
    const data = args[0];
    if (data === null || data === undefined) throw intrinsicFailure('Invalid arguments in States.Hash: the first argument must not be null');
    const text = typeof data === 'string' ? data : jsonToString(data);
    if (codePoints(text) > MAX_STRING_INPUT) {
      throw intrinsicFailure(`Invalid arguments in States.Hash: the input data must be at most ${MAX_STRING_INPUT} characters, but got ${text.length}`);
    }
    const algorithm = expectString('Hash', args[1], 'second');
    const node = HASH_ALGORITHMS[algorithm];
    if (!node) {
      throw intrinsicFailure(
        `Invalid arguments in States.Hash: the hashing algorithm '${algorithm}' is not supported; supported algorithms are MD5, SHA-1, SHA-256, SHA-384 and SHA-512`,
      );
    }
    return createHash(node).update(text, 'utf8').digest('hex');
  },

  JsonMerge(args) {
    expectCount('JsonMerge', args, 3);
    const [a, b, deep] = args;
    if (!isObject(a)) throw intrinsicFailure(`Invalid arguments in States.JsonMerge: the first argument must be a JSON object, but got ${typeName(a)}`);
    if (!isObject(b)) throw intrinsicFailure(`Invalid arguments in States.JsonMerge: the second argument must be a JSON object, but got ${typeName(b)}`);
    if (typeof deep !== 'boolean') throw intrinsicFailure(`Invalid arguments in States.JsonMerge: the third argument must be a boolean, but got ${typeName(deep)}`);
    if (deep) throw intrinsicFailure('Invalid arguments in States.JsonMerge: only shallow merging is supported; the third argument must be false');
    return { ...a, ...b };
  },

  MathRandom(args) {
    expectCount('MathRandom', args, 2, 3);
    const start = roundJava(expectNumber('MathRandom', args[0], 'first'));
    const end = roundJava(expectNumber('MathRandom', args[1], 'second'));
    let random = Math.random;
    if (args.length === 3) {
      const seed = roundJava(expectNumber('MathRandom', args[2], 'third'));
      random = seededRandom(seed);
    }
    if (end <= start) return start;
    return start + Math.floor(random() * (end - start));
  },

  MathAdd(args) {
    expectCount('MathAdd', args, 2);
    const a = roundJava(expectNumber('MathAdd', args[0], 'first'));
    const b = roundJava(expectNumber('MathAdd', args[1], 'second'));
    const INT_MIN = -2147483648;
    const INT_MAX = 2147483647;
    if (a < INT_MIN || a > INT_MAX || b < INT_MIN || b > INT_MAX) {
      throw intrinsicFailure('Invalid arguments in States.MathAdd: the arguments must be integers between -2147483648 and 2147483647');
    }
    return a + b;
  },

  StringSplit(args) {
    expectCount('StringSplit', args, 2);
    const s = expectString('StringSplit', args[0], 'first');
    const delims = expectString('StringSplit', args[1], 'second');
    if (delims.length === 0) return s.length === 0 ? [] : [s];
    const set = new Set(Array.from(delims));
    const parts: string[] = [];
    let cur = '';
    for (const ch of Array.from(s)) {
      if (set.has(ch)) {
        if (cur !== '') parts.push(cur);
        cur = '';
      } else cur += ch;
    }
    if (cur !== '') parts.push(cur);
    return parts;
  },

  UUID(args) {
    expectCount('UUID', args, 0);
    return randomUUID();
  },
};

function seededRandom(seed: number): () => number {
  // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

