import { StatesError } from '../errors';
import { evaluateIntrinsic, isIntrinsicExpression } from './intrinsics';
import { isObject } from './jsonpath';
import { readScopedPath } from './paths';
import type { Scope } from './scope';

export type { Scope } from './scope';

export type PayloadField = 'Parameters' | 'ResultSelector' | 'ItemSelector' | 'Arguments' | 'Assign';

/**
 * Evaluates a JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign…):
 * the template is copied; a key ending in `.$` takes the value of its path (`$.x`, `$$.x`, `$var.x`)
 * or intrinsic function call, and loses its `.$` suffix.
 */
export function applyPayloadTemplate(template: unknown, scope: Scope, field?: PayloadField | (string & {})): unknown {
  return copy(template, scope, field);
}

function copy(template: unknown, scope: Scope, field: string | undefined): unknown {
  if (Array.isArray(template)) return template.map((t) => copy(t, scope, field));
  if (!isObject(template)) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && key.length > 2) {
      const name = key.slice(0, -2);
      out[name] = evaluateDynamicValue(key, value, scope, field);
    } else {
      out[key] = copy(value, scope, field);
    }
  }
  return out;
}

/** Value of one `key.$` entry. */
export function evaluateDynamicValue(key: string, value: unknown, scope: Scope, field?: string): unknown {
  if (typeof value !== 'string') {
    throw new StatesError(
      'States.Runtime',
      `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`,
    );
  }
  const expr = value.trim();
  if (isIntrinsicExpression(expr)) return evaluateIntrinsic(expr, scope, key);
  if (expr.startsWith('$')) return readScopedPath(expr, scope, key);
  throw new StatesError(
    'States.Runtime',
    `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call${field ? ` (in ${field})` : ''}`,
  );
}
