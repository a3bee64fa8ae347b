import { StatesError } from '../errors';
import {
  compilePath,
  evaluateCompiled,
  isObject,
  JsonPathNotFound,
  JsonPathSyntaxError,
  toBracketPath,
  type CompiledPath,
} from './jsonpath';
import type { Scope } from './scope';

export type { Scope } from './scope';

/**
 * Where a path is used; it selects AWS's error message when the path matches nothing:
 * - `undefined`, `'InputPath'`, `'OutputPath'`, `'ItemsPath'`: "Invalid path '$.x' : No results for path: $['x']"
 * - `'Choice'` (a Choice rule's `Variable` / `…Path` operand): "Invalid path '$.x': The choice state's condition path references an invalid value."
 * - anything else is a field name (`'value.$'`, `'ErrorPath'`, `'SecondsPath'`…): "The JSONPath '$.x' specified for the field 'value.$' could not be found in the input '{…}'"
 */
export type PathUse = 'InputPath' | 'OutputPath' | 'ItemsPath' | 'Choice' | (string & {});

const VARIABLE_PREFIX = /^\$([\p{L}_][\p{L}\p{N}_]*)/u;

const INVALID_PATH_USES = new Set(['InputPath', 'OutputPath', 'ItemsPath', 'path']);

function stringifyForMessage(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? 'null' : s;
  } catch {
    return String(v);
  }
}

function notFoundError(displayPath: string, detail: string, use: PathUse | undefined, inputForMessage: unknown): StatesError {
  if (use === undefined || INVALID_PATH_USES.has(use)) {
    return new StatesError('States.Runtime', `Invalid path '${displayPath}' : ${detail}`);
  }
  if (use === 'Choice') {
    return new StatesError('States.Runtime', `Invalid path '${displayPath}': The choice state's condition path references an invalid value.`);
  }
  return new StatesError(
    'States.Runtime',
    `The JSONPath '${displayPath}' specified for the field '${use}' could not be found in the input '${stringifyForMessage(inputForMessage)}'`,
  );
}

function compileOrThrow(path: string, displayPath: string): CompiledPath {
  try {
    return compilePath(path);
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) {
      throw new StatesError('States.Runtime', `Invalid path '${displayPath}' : ${e.message}`);
    }
    throw e;
  }
}

/** Whether a path (without `$$`/`$var` prefix handling) is definite, i.e. yields a single value. */
export function isDefinitePath(path: string): boolean {
  try {
    return compilePath(path).definite;
  } catch {
    return false;
  }
}

function evaluate(path: string, data: unknown, use: PathUse | undefined, displayPath: string, inputForMessage: unknown): unknown {
  const compiled = compileOrThrow(path, displayPath);
  let nodes;
  try {
    nodes = evaluateCompiled(compiled, data);
  } catch (e) {
    if (e instanceof JsonPathNotFound) throw notFoundError(displayPath, e.message, use, inputForMessage);
    throw e;
  }
  const hasFunction = compiled.segments.length > 0 && compiled.segments[compiled.segments.length - 1].kind === 'function';
  if (compiled.definite || hasFunction) {
    if (nodes.length === 0) throw notFoundError(displayPath, `No results for path: ${toBracketPath(compiled)}`, use, inputForMessage);
    return nodes[0].value;
  }
  return nodes.map((n) => n.value);
}

/**
 * Reads a JSONPath (`$`, `$.a.b`, `$.a[0]`, `$.items[*].id`, `$..x`, `$.a[?(@.b > 1)]`…) from `data`.
 * Definite paths return the value; indefinite ones return the (possibly empty) list of matches.
 * A definite path that matches nothing throws States.Runtime with AWS's message for `use`.
 * Paths starting with `$$` (context object) or `$name` (variable) need readScopedPath.
 */
export function readPath(path: string, data: unknown, use?: PathUse): unknown {
  const p = path.trim();
  if (p.startsWith('$$') || VARIABLE_PREFIX.test(p)) {
    // `$$…` and `$var…` need the context object / variables: readScopedPath(path, scope, use) resolves them.
    throw new StatesError(
      'States.Runtime',
      `Invalid path '${path}' : context object and variable paths must be read with readScopedPath (engine bug)`,
    );
  }
  return evaluate(path, data, use, path, data);
}

/** Splits `$$.a`, `$var.a`, `$.a` into the data it reads and a `$`-rooted path. */
export function resolveScopedPath(path: string, scope: Scope): { data: unknown; path: string; kind: 'input' | 'context' | 'variable'; variable?: string } {
  const p = path.trim();
  if (p.startsWith('$$')) return { data: scope.context, path: p.slice(1), kind: 'context' };
  const m = VARIABLE_PREFIX.exec(p);
  if (m) {
    return { data: scope.variables?.[m[1]], path: '$' + p.slice(m[0].length), kind: 'variable', variable: m[1] };
  }
  return { data: scope.input, path: p, kind: 'input' };
}

/** Whether a string looks like a path a `.$` field / intrinsic argument / Choice variable may hold. */
export function isScopedPath(s: string): boolean {
  return typeof s === 'string' && s.startsWith('$');
}

/**
 * Reads a path that may start with `$` (the input), `$$` (the context object) or `$name` (a variable).
 */
export function readScopedPath(path: string, scope: Scope, use?: PathUse): unknown {
  const r = resolveScopedPath(path, scope);
  if (r.kind === 'variable') {
    const vars = scope.variables ?? {};
    if (!Object.prototype.hasOwnProperty.call(vars, r.variable!)) {
      throw notFoundError(path, `No results for path: $['${r.variable}']`, use, scope.input);
    }
  }
  return evaluate(r.path, r.data, use, path, scope.input);
}

/** True when a scoped path matches a value (used by IsPresent). */
export function scopedPathExists(path: string, scope: Scope): boolean {
  const r = resolveScopedPath(path, scope);
  if (r.kind === 'variable' && !Object.prototype.hasOwnProperty.call(scope.variables ?? {}, r.variable!)) return false;
  const compiled = compileOrThrow(r.path, path);
  try {
    const nodes = evaluateCompiled(compiled, r.data);
    if (compiled.definite) return nodes.length > 0;
    return true;
  } catch (e) {
    if (e instanceof JsonPathNotFound) return false;
    throw e;
  }
}

/** A shallow copy of an object or array (the containers on a ResultPath are copied, not shared). */
function shallowCopy<T extends Record<string, unknown> | unknown[]>(v: T): T {
  return (Array.isArray(v) ? v.slice() : { ...v }) as T;
}

function resultPathFailure(resultPath: string, input: unknown): StatesError {
  return new StatesError(
    'States.ResultPathMatchFailure',
    `Unable to apply ReferencePath ${resultPath} to input ${stringifyForMessage(input)}`,
  );
}

/**
 * Applies a ResultPath: `undefined` or `'$'` → the result replaces the input, `null` → the input is kept,
 * `$.a.b` → the result is placed at `a.b` in a copy of the input, creating objects on the way.
 */
export function applyResultPath(input: unknown, resultPath: string | null | undefined, result: unknown): unknown {
  if (resultPath === undefined) return result;
  if (resultPath === null) return input;
  const rp = resultPath.trim();
  if (rp === '$') return result;
  let compiled: CompiledPath;
  try {
    compiled = compilePath(rp);
  } catch {
    throw resultPathFailure(resultPath, input);
  }
  const segs = compiled.segments;
  if (!compiled.definite || segs.some((s) => s.kind !== 'prop' && s.kind !== 'index')) {
    throw resultPathFailure(resultPath, input);
  }
  if (!isObject(input) && !Array.isArray(input)) throw resultPathFailure(resultPath, input);
  // Copy-on-write: only the containers along the path are copied (the input is never mutated);
  // every other value is shared with the input, as payloads are never mutated in place.
  const root = shallowCopy(input as Record<string, unknown> | unknown[]);
  let cur: unknown = root;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const last = i === segs.length - 1;
    if (seg.kind === 'prop') {
      if (!isObject(cur)) throw resultPathFailure(resultPath, input);
      const name = seg.names[0];
      if (last) {
        cur[name] = result;
      } else {
        const next = cur[name];
        if (next === undefined || next === null) {
          const created = segs[i + 1].kind === 'index' ? [] : {};
          cur[name] = created;
          cur = created;
        } else if (typeof next === 'object') {
          cur = cur[name] = shallowCopy(next as Record<string, unknown> | unknown[]);
        } else {
          throw resultPathFailure(resultPath, input);
        }
      }
    } else if (seg.kind === 'index') {
      if (!Array.isArray(cur)) throw resultPathFailure(resultPath, input);
      let idx = seg.indexes[0];
      if (idx < 0) idx = cur.length + idx;
      if (idx < 0 || idx > cur.length) throw resultPathFailure(resultPath, input);
      if (last) {
        cur[idx] = result;
      } else {
        const next = cur[idx];
        if (next === undefined || next === null) {
          const created = segs[i + 1].kind === 'index' ? [] : {};
          cur[idx] = created;
          cur = created;
        } else if (typeof next === 'object') {
          cur = cur[idx] = shallowCopy(next as Record<string, unknown> | unknown[]);
        } else {
          throw resultPathFailure(resultPath, input);
        }
      }
    }
  }
  return root;
}

/**
 * InputPath / OutputPath semantics: absent → the value itself, `null` → `{}`, otherwise the path is
 * read (it may start with `$`, `$$` or `$var`) from `scope.input`, which is the value being filtered.
 */
export function applySelectionPath(path: string | null | undefined, scope: Scope, use: 'InputPath' | 'OutputPath' | 'ItemsPath'): unknown {
  if (path === undefined) return scope.input;
  if (path === null) return use === 'ItemsPath' ? scope.input : {};
  return readScopedPath(path, scope, use);
}
