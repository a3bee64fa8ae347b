/**
 * A small JSONPath implementation following the dialect AWS Step Functions uses (Jayway JsonPath):
 * `$`, `.name`, `['name']`, `[0]`, `[-1]`, `[0,1]`, `['a','b']`, `[start:end:step]`, `*`, `..` deep scan,
 * `[?(<filter>)]` filters and the trailing functions `length()`, `size()`, `min()`, `max()`, `avg()`,
 * `sum()`, `stddev()`, `keys()`, `first()`, `last()`.
 *
 * A path is *definite* when it has no wildcard, deep scan, filter, slice or multi-selection: a definite
 * path yields one value (or fails), an indefinite one yields a list (possibly empty).
 */
import { memoizeBySource } from '../util';

export type Segment =
  | { kind: 'prop'; names: string[] } // one name: definite; several: multi-select
  | { kind: 'index'; indexes: number[] }
  | { kind: 'slice'; start: number | null; end: number | null; step: number | null }
  | { kind: 'wildcard' }
  | { kind: 'scan' } // `..`: the following segment is applied to every descendant
  | { kind: 'filter'; expr: FilterExpr; source: string }
  | { kind: 'function'; name: string };

export interface CompiledPath {
  source: string;
  segments: Segment[];
  definite: boolean;
}

export class JsonPathSyntaxError extends Error {}

/** A failure of a definite path, with Jayway's message. */
export class JsonPathNotFound extends Error {}

/** Compiles a JSONPath (memoized by its text). */
export const compilePath: (source: string) => CompiledPath = memoizeBySource((source) => new PathParser(source).parse(), 5000);

function isDefiniteSegment(s: Segment): boolean {
  if (s.kind === 'prop') return s.names.length === 1;
  if (s.kind === 'index') return s.indexes.length === 1;
  return false;
}

class PathParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  fail(msg: string): never {
    throw new JsonPathSyntaxError(`${msg} at position ${this.pos} in path ${this.src}`);
  }

  parse(): CompiledPath {
    const s = this.src.trim();
    if (!s.startsWith('$')) this.fail('Path must start with $');
    this.pos = 1;
    const segments: Segment[] = [];
    const src = s;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (c === '.') {
        if (src[this.pos + 1] === '.') {
          this.pos += 2;
          segments.push({ kind: 'scan' });
          if (src[this.pos] === '[') continue;
          if (src[this.pos] === '*') {
            this.pos++;
            segments.push({ kind: 'wildcard' });
            continue;
          }
          segments.push(...this.dotName(src));
          continue;
        }
        this.pos++;
        if (src[this.pos] === '*') {
          this.pos++;
          segments.push({ kind: 'wildcard' });
          continue;
        }
        if (src[this.pos] === '[') continue; // Jayway accepts `$.[0]` / `$.[?(...)]`
        segments.push(...this.dotName(src));
      } else if (c === '[') {
        segments.push(this.bracket(src));
      } else {
        this.fail(`Unexpected character '${c}'`);
      }
    }
    const fnIndex = segments.findIndex((seg) => seg.kind === 'function');
    if (fnIndex >= 0 && fnIndex !== segments.length - 1) this.fail('A function must end the path');
    const body = fnIndex >= 0 ? segments.slice(0, fnIndex) : segments;
    return { source: this.src, segments, definite: body.every(isDefiniteSegment) };
  }

  private dotName(src: string): Segment[] {
    const start = this.pos;
    while (this.pos < src.length && src[this.pos] !== '.' && src[this.pos] !== '[') {
      if (src[this.pos] === '(') {
        // function call like length()
        const close = src.indexOf(')', this.pos);
        if (close < 0) this.fail('Unclosed function call');
        const name = src.slice(start, this.pos);
        this.pos = close + 1;
        return [{ kind: 'function', name }];
      }
      this.pos++;
    }
    const name = src.slice(start, this.pos);
    if (name.length === 0) this.fail('Empty property name');
    return [{ kind: 'prop', names: [name] }];
  }

  private skipSpaces(src: string): void {
    while (src[this.pos] === ' ') this.pos++;
  }

  private bracket(src: string): Segment {
    this.pos++; // [
    this.skipSpaces(src);
    const c = src[this.pos];
    if (c === '*') {
      this.pos++;
      this.skipSpaces(src);
      this.expect(src, ']');
      return { kind: 'wildcard' };
    }
    if (c === '?') {
      this.pos++;
      this.skipSpaces(src);
      this.expect(src, '(');
      const start = this.pos;
      let depth = 1;
      let quote: string | null = null;
      while (this.pos < src.length) {
        const ch = src[this.pos];
        if (quote) {
          if (ch === '\\') this.pos++;
          else if (ch === quote) quote = null;
        } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '(') depth++;
        else if (ch === ')') {
          depth--;
          if (depth === 0) break;
        }
        this.pos++;
      }
      if (depth !== 0) this.fail('Unclosed filter');
      const source = src.slice(start, this.pos);
      this.pos++; // )
      this.skipSpaces(src);
      this.expect(src, ']');
      return { kind: 'filter', expr: parseFilter(source), source };
    }
    if (c === "'" || c === '"') {
      const names: string[] = [];
      for (;;) {
        this.skipSpaces(src);
        names.push(this.quoted(src));
        this.skipSpaces(src);
        if (src[this.pos] === ',') {
          this.pos++;
          continue;
        }
        this.expect(src, ']');
        return { kind: 'prop', names };
      }
    }
    // numbers: index list or slice
    const close = src.indexOf(']', this.pos);
    if (close < 0) this.fail('Unclosed bracket');
    const body = src.slice(this.pos, close).replace(/\s+/g, '');
    this.pos = close + 1;
    if (body.includes(':')) {
      const parts = body.split(':');
      if (parts.length > 3) this.fail('Invalid slice');
      const num = (p: string | undefined): number | null => {
        if (p === undefined || p === '') return null;
        if (!/^-?\d+$/.test(p)) this.fail(`Invalid slice bound '${p}'`);
        return Number(p);
      };
      return { kind: 'slice', start: num(parts[0]), end: num(parts[1]), step: num(parts[2]) };
    }
    const items = body.split(',');
    const indexes = items.map((p) => {
      if (!/^-?\d+$/.test(p)) this.fail(`Invalid array index '${p}'`);
      return Number(p);
    });
    return { kind: 'index', indexes };
  }

  private quoted(src: string): string {
    const q = src[this.pos];
    if (q !== "'" && q !== '"') this.fail('Expected a quoted name');
    this.pos++;
    const start = this.pos;
    while (this.pos < src.length && src[this.pos] !== q) {
      if (src[this.pos] === '\\' && this.pos + 1 < src.length) this.pos++;
      this.pos++;
    }
    if (src[this.pos] !== q) this.fail('Unclosed quoted name');
    const raw = src.slice(start, this.pos);
    this.pos++;
    return unescapeJava(raw);
  }

  private expect(src: string, ch: string): void {
    if (src[this.pos] !== ch) this.fail(`Expected '${ch}'`);
    this.pos++;
  }
}

/** Jayway's Utils.unescape: Java string escapes in a quoted bracket name. */
function unescapeJava(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const n = raw[++i];
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        const hex = raw.slice(i + 1, i + 5);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else out += 'u';
        break;
      }
      default:
        out += n;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export interface PathNode {
  value: unknown;
  path: string;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function propPath(base: string, name: string): string {
  return `${base}['${name}']`;
}

/**
 * Evaluates a compiled path. For a definite path that matches nothing, throws JsonPathNotFound
 * with Jayway's message ("No results for path: $['a']" / "Missing property in path $['a']").
 */
export function evaluateCompiled(compiled: CompiledPath, root: unknown): PathNode[] {
  let nodes: PathNode[] = [{ value: root, path: '$' }];
  const segs = compiled.segments;
  let upstreamDefinite = true;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const isLeaf = i === segs.length - 1 || segs[i + 1].kind === 'function';
    if (seg.kind === 'function') {
      const fnValue = applyFunction(seg.name, compiled.definite ? nodes[0]?.value : nodes.map((n) => n.value), compiled);
      return [{ value: fnValue, path: `${compiled.source}` }];
    }
    if (seg.kind === 'scan') {
      const next = segs[i + 1];
      i++;
      const out: PathNode[] = [];
      for (const n of nodes) deepScan(n, next, out, root);
      nodes = out;
      upstreamDefinite = false;
      continue;
    }
    const out: PathNode[] = [];
    const strict = compiled.definite && upstreamDefinite && isDefiniteSegment(seg);
    for (const n of nodes) applySegment(n, seg, out, root, strict, isLeaf);
    nodes = out;
    if (!isDefiniteSegment(seg)) upstreamDefinite = false;
  }
  if (compiled.definite && nodes.length === 0) {
    throw new JsonPathNotFound(`No results for path: ${toBracketPath(compiled)}`);
  }
  return nodes;
}

/** `$.a.b[0]` as Jayway prints it: `$['a']['b'][0]`. */
export function toBracketPath(compiled: CompiledPath): string {
  let out = '$';
  for (const s of compiled.segments) {
    switch (s.kind) {
      case 'prop':
        out += `[${s.names.map((n) => `'${n}'`).join(',')}]`;
        break;
      case 'index':
        out += `[${s.indexes.join(',')}]`;
        break;
      case 'wildcard':
        out += '[*]';
        break;
      case 'scan':
        out += '..';
        break;
      case 'slice':
        out += `[${s.start ?? ''}:${s.end ?? ''}${s.step !== null ? `:${s.step}` : ''}]`;
        break;
      case 'filter':
        out += `[?(${s.source})]`;
        break;
      case 'function':
        out += `.${s.name}()`;
        break;
    }
  }
  return out;
}

function applySegment(node: PathNode, seg: Segment, out: PathNode[], root: unknown, strict: boolean, isLeaf: boolean): void {
  const v = node.value;
  switch (seg.kind) {
    case 'prop': {
      if (!isObject(v)) {
        if (strict && !isLeaf) {
          throw new JsonPathNotFound(
            `Expected to find an object with property ${propPath('', seg.names[0])} in path ${node.path} but found '${describeJava(v)}'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'.`,
          );
        }
        return;
      }
      for (const name of seg.names) {
        if (Object.prototype.hasOwnProperty.call(v, name)) {
          out.push({ value: v[name], path: propPath(node.path, name) });
        } else if (strict && !isLeaf) {
          throw new JsonPathNotFound(`Missing property in path ${propPath(node.path, name)}`);
        }
      }
      return;
    }
    case 'index': {
      if (!Array.isArray(v)) return;
      for (const idx of seg.indexes) {
        const eff = idx < 0 ? v.length + idx : idx;
        if (eff >= 0 && eff < v.length) out.push({ value: v[eff], path: `${node.path}[${eff}]` });
      }
      return;
    }
    case 'wildcard': {
      if (Array.isArray(v)) v.forEach((item, idx) => out.push({ value: item, path: `${node.path}[${idx}]` }));
      else if (isObject(v)) for (const [k, item] of Object.entries(v)) out.push({ value: item, path: propPath(node.path, k) });
      return;
    }
    case 'slice': {
      if (!Array.isArray(v)) return;
      const len = v.length;
      const step = seg.step ?? 1;
      if (step === 0) return;
      const norm = (x: number) => (x < 0 ? Math.max(0, len + x) : Math.min(len, x));
      if (step > 0) {
        const start = seg.start === null ? 0 : norm(seg.start);
        const end = seg.end === null ? len : norm(seg.end);
        for (let k = start; k < end; k += step) out.push({ value: v[k], path: `${node.path}[${k}]` });
      } else {
        const start = seg.start === null ? len - 1 : Math.min(len - 1, seg.start < 0 ? len + seg.start : seg.start);
        const end = seg.end === null ? -1 : seg.end < 0 ? len + seg.end : seg.end;
        for (let k = start; k > end && k >= 0; k += step) out.push({ value: v[k], path: `${node.path}[${k}]` });
      }
      return;
    }
    case 'filter': {
      if (Array.isArray(v)) {
        v.forEach((item, idx) => {
          if (evalFilter(seg.expr, item, root)) out.push({ value: item, path: `${node.path}[${idx}]` });
        });
      } else if (isObject(v)) {
        if (evalFilter(seg.expr, v, root)) out.push(node);
      }
      return;
    }
    default:
      return;
  }
}

function deepScan(node: PathNode, next: Segment, out: PathNode[], root: unknown): void {
  // Apply `next` to this node, then recurse into children.
  if (next.kind === 'wildcard') {
    const v = node.value;
    const children: PathNode[] = [];
    applySegment(node, next, children, root, false, true);
    for (const c of children) {
      out.push(c);
      deepScanChildren(c, next, out, root);
    }
    void v;
    return;
  }
  applySegment(node, next, out, root, false, true);
  const v = node.value;
  if (Array.isArray(v)) v.forEach((item, idx) => deepScan({ value: item, path: `${node.path}[${idx}]` }, next, out, root));
  else if (isObject(v)) for (const [k, item] of Object.entries(v)) deepScan({ value: item, path: propPath(node.path, k) }, next, out, root);
}

function deepScanChildren(node: PathNode, next: Segment, out: PathNode[], root: unknown): void {
  const children: PathNode[] = [];
  applySegment(node, next, children, root, false, true);
  for (const c of children) {
    out.push(c);
    deepScanChildren(c, next, out, root);
  }
}

function describeJava(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'com.fasterxml.jackson.databind.node.ArrayNode';
  if (typeof v === 'string') return 'com.fasterxml.jackson.databind.node.TextNode';
  if (typeof v === 'number') return Number.isInteger(v) ? 'com.fasterxml.jackson.databind.node.IntNode' : 'com.fasterxml.jackson.databind.node.DoubleNode';
  if (typeof v === 'boolean') return 'com.fasterxml.jackson.databind.node.BooleanNode';
  return String(v);
}

function applyFunction(name: string, input: unknown, compiled: CompiledPath): unknown {
  const nums = (): number[] => {
    if (!Array.isArray(input)) throw new JsonPathNotFound(`Aggregation function attempted to calculate value using empty array`);
    const n = input.filter((x): x is number => typeof x === 'number');
    if (n.length === 0) throw new JsonPathNotFound(`Aggregation function attempted to calculate value using empty array`);
    return n;
  };
  switch (name) {
    case 'length':
    case 'size':
      if (Array.isArray(input)) return input.length;
      if (isObject(input)) return Object.keys(input).length;
      if (typeof input === 'string') return input.length;
      throw new JsonPathNotFound(`Invalid property ${name}() in path ${compiled.source}`);
    case 'min':
      return Math.min(...nums());
    case 'max':
      return Math.max(...nums());
    case 'sum':
      return nums().reduce((a, b) => a + b, 0);
    case 'avg': {
      const n = nums();
      return n.reduce((a, b) => a + b, 0) / n.length;
    }
    case 'stddev': {
      const n = nums();
      const mean = n.reduce((a, b) => a + b, 0) / n.length;
      return Math.sqrt(n.reduce((a, b) => a + (b - mean) * (b - mean), 0) / n.length);
    }
    case 'keys':
      if (isObject(input)) return Object.keys(input);
      throw new JsonPathNotFound(`Invalid property keys() in path ${compiled.source}`);
    case 'first':
      if (Array.isArray(input) && input.length > 0) return input[0];
      throw new JsonPathNotFound(`Invalid property first() in path ${compiled.source}`);
    case 'last':
      if (Array.isArray(input) && input.length > 0) return input[input.length - 1];
      throw new JsonPathNotFound(`Invalid property last() in path ${compiled.source}`);
    default:
      throw new JsonPathNotFound(`Function with name: ${name} does not exist.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Filter expressions: `@.a == 1 && (@.b < 2 || !@.c)`, `@.name =~ /re/i`, `@.x in ['a','b']`

export type FilterExpr =
  | { t: 'or'; a: FilterExpr; b: FilterExpr }
  | { t: 'and'; a: FilterExpr; b: FilterExpr }
  | { t: 'not'; a: FilterExpr }
  | { t: 'cmp'; op: string; a: Operand; b: Operand }
  | { t: 'exists'; a: Operand };

type Operand =
  | { t: 'lit'; v: unknown }
  | { t: 'path'; rel: boolean; path: CompiledPath }
  | { t: 'regex'; re: RegExp };

function parseFilter(src: string): FilterExpr {
  const p = new FilterParser(src);
  const e = p.parseOr();
  p.ws();
  if (p.pos < src.length) throw new JsonPathSyntaxError(`Unexpected '${src.slice(p.pos)}' in filter ${src}`);
  return e;
}

class FilterParser {
  pos = 0;
  constructor(private readonly s: string) {}
  ws(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++;
  }
  peek(str: string): boolean {
    this.ws();
    return this.s.startsWith(str, this.pos);
  }
  parseOr(): FilterExpr {
    let a = this.parseAnd();
    while (this.peek('||')) {
      this.pos += 2;
      a = { t: 'or', a, b: this.parseAnd() };
    }
    return a;
  }
  parseAnd(): FilterExpr {
    let a = this.parseUnary();
    while (this.peek('&&')) {
      this.pos += 2;
      a = { t: 'and', a, b: this.parseUnary() };
    }
    return a;
  }
  parseUnary(): FilterExpr {
    if (this.peek('!') && !this.peek('!=')) {
      this.pos++;
      return { t: 'not', a: this.parseUnary() };
    }
    if (this.peek('(')) {
      this.pos++;
      const e = this.parseOr();
      if (!this.peek(')')) throw new JsonPathSyntaxError(`Expected ')' in filter ${this.s}`);
      this.pos++;
      return e;
    }
    const a = this.operand();
    this.ws();
    const m = /^(==|!=|<=|>=|<|>|=~|\bnin\b|\bin\b|\bsubsetof\b|\banyof\b|\bnoneof\b|\bsize\b|\bempty\b|\bcontains\b)/.exec(this.s.slice(this.pos));
    if (!m) return { t: 'exists', a };
    this.pos += m[0].length;
    const b = this.operand();
    return { t: 'cmp', op: m[0], a, b };
  }
  operand(): Operand {
    this.ws();
    const s = this.s;
    const c = s[this.pos];
    if (c === '@' || c === '$') {
      const start = this.pos;
      this.pos++;
      let depth = 0;
      let quote: string | null = null;
      while (this.pos < s.length) {
        const ch = s[this.pos];
        if (quote) {
          if (ch === '\\') this.pos++;
          else if (ch === quote) quote = null;
        } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '[') depth++;
        else if (ch === ']') depth--;
        else if (depth === 0 && /[\s=!<>&|)~]/.test(ch)) break;
        this.pos++;
      }
      const text = s.slice(start, this.pos);
      const rel = text.startsWith('@');
      return { t: 'path', rel, path: compilePath('$' + text.slice(1)) };
    }
    if (c === "'" || c === '"') {
      this.pos++;
      let out = '';
      while (this.pos < s.length && s[this.pos] !== c) {
        if (s[this.pos] === '\\') this.pos++;
        out += s[this.pos];
        this.pos++;
      }
      this.pos++;
      return { t: 'lit', v: out };
    }
    if (c === '/') {
      const end = s.lastIndexOf('/');
      const body = s.slice(this.pos + 1, end);
      let j = end + 1;
      while (j < s.length && /[a-z]/i.test(s[j])) j++;
      const flags = s.slice(end + 1, j).replace(/[^gimsuy]/g, '');
      this.pos = j;
      return { t: 'regex', re: new RegExp(body, flags) };
    }
    if (c === '[' || c === '{') {
      // JSON literal
      const open = c;
      const close = c === '[' ? ']' : '}';
      let depth = 0;
      let quote: string | null = null;
      const start = this.pos;
      while (this.pos < s.length) {
        const ch = s[this.pos];
        if (quote) {
          if (ch === '\\') this.pos++;
          else if (ch === quote) quote = null;
        } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === open) depth++;
        else if (ch === close) {
          depth--;
          if (depth === 0) {
            this.pos++;
            break;
          }
        }
        this.pos++;
      }
      const text = s.slice(start, this.pos).replace(/'((?:\\.|[^'\\])*)'/g, (_m, g: string) => JSON.stringify(g.replace(/\\(.)/g, '$1')));
      return { t: 'lit', v: JSON.parse(text) };
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(s.slice(this.pos));
    if (!m) throw new JsonPathSyntaxError(`Unexpected '${s.slice(this.pos)}' in filter ${s}`);
    this.pos += m[0].length;
    return { t: 'lit', v: JSON.parse(m[0]) };
  }
}

const MISSING = Symbol('missing');

function operandValue(o: Operand, current: unknown, root: unknown): unknown {
  if (o.t === 'lit') return o.v;
  if (o.t === 'regex') return o.re;
  try {
    const nodes = evaluateCompiled(o.path, o.rel ? current : root);
    if (o.path.definite) return nodes.length ? nodes[0].value : MISSING;
    return nodes.map((n) => n.value);
  } catch {
    return MISSING;
  }
}

function evalFilter(e: FilterExpr, current: unknown, root: unknown): boolean {
  switch (e.t) {
    case 'or':
      return evalFilter(e.a, current, root) || evalFilter(e.b, current, root);
    case 'and':
      return evalFilter(e.a, current, root) && evalFilter(e.b, current, root);
    case 'not':
      return !evalFilter(e.a, current, root);
    case 'exists': {
      const v = operandValue(e.a, current, root);
      if (v === MISSING) return false;
      if (e.a.t === 'lit') return Boolean(v);
      return true;
    }
    case 'cmp': {
      const a = operandValue(e.a, current, root);
      const b = operandValue(e.b, current, root);
      return compareFilter(e.op, a, b);
    }
  }
}

function compareFilter(op: string, a: unknown, b: unknown): boolean {
  if (op === '=~') {
    if (typeof a !== 'string' || !(b instanceof RegExp)) return false;
    return b.test(a);
  }
  if (a === MISSING || b === MISSING) return op === '!=' ? !(a === MISSING && b === MISSING) : false;
  switch (op) {
    case '==':
      return deepEqual(a, b);
    case '!=':
      return !deepEqual(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (typeof a === 'number' && typeof b === 'number') return cmpOp(op, a - b);
      if (typeof a === 'string' && typeof b === 'string') return cmpOp(op, a < b ? -1 : a > b ? 1 : 0);
      return false;
    }
    case 'in':
      return Array.isArray(b) && b.some((x) => deepEqual(a, x));
    case 'nin':
      return Array.isArray(b) && !b.some((x) => deepEqual(a, x));
    case 'subsetof':
      return Array.isArray(a) && Array.isArray(b) && a.every((x) => b.some((y) => deepEqual(x, y)));
    case 'anyof':
      return Array.isArray(a) && Array.isArray(b) && a.some((x) => b.some((y) => deepEqual(x, y)));
    case 'noneof':
      return Array.isArray(a) && Array.isArray(b) && !a.some((x) => b.some((y) => deepEqual(x, y)));
    case 'contains':
      if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
      return Array.isArray(a) && a.some((x) => deepEqual(x, b));
    case 'size':
      if (typeof b !== 'number') return false;
      if (typeof a === 'string' || Array.isArray(a)) return a.length === b;
      return false;
    case 'empty':
      if (typeof b !== 'boolean') return false;
      if (typeof a === 'string' || Array.isArray(a)) return (a.length === 0) === b;
      if (isObject(a)) return (Object.keys(a).length === 0) === b;
      return false;
    default:
      return false;
  }
}

function cmpOp(op: string, d: number): boolean {
  switch (op) {
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    default:
      return d >= 0;
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
