/**
 * Event patterns: AWS's content-filtering grammar (exact values, prefix, suffix, anything-but,
 * numeric, exists, equals-ignore-case, wildcard, cidr, `$or`, arrays, nested and dotted fields).
 */
import { compileEventPattern, isCompiledPattern } from './compile';
import { flattenEvent, matchCompiled } from './match';
import type { CompiledPattern } from './types';

export { compileEventPattern, isCompiledPattern } from './compile';
export { flattenEvent, matchCompiled } from './match';
export type { FlatEvent } from './match';
export type { CompiledPattern, Matcher, Scalar } from './types';

/** Throws an `InvalidEventPatternException` (with AWS's message) when the pattern is invalid. */
export function validateEventPattern(pattern: string | object): void {
  compileEventPattern(pattern);
}

/**
 * Whether `event` (a parsed event or its JSON text) matches `pattern` (text, parsed object or
 * an already compiled pattern). Invalid patterns throw, as in `validateEventPattern`.
 */
export function matchesEventPattern(pattern: string | object | CompiledPattern, event: unknown): boolean {
  const compiled = isCompiledPattern(pattern) ? pattern : compileEventPattern(pattern);
  const parsed = typeof event === 'string' ? JSON.parse(event) : event;
  return matchCompiled(compiled, flattenEvent(parsed));
}
