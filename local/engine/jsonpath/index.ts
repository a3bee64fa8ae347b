/**
 * JSONPath data plane of the local Step Functions engine.
 *
 * - `readPath(path, data, use?)` / `readScopedPath(path, scope, use?)`: Reference Paths and full JSONPath
 *   (Jayway dialect). `use` picks AWS's error message when nothing matches: `'InputPath'`, `'OutputPath'`,
 *   `'ItemsPath'` → "Invalid path '$.x' : No results for path: $['x']"; `'Choice'` → "Invalid path '$.x':
 *   The choice state's condition path references an invalid value."; any other string is a field name
 *   (`'x.$'`, `'ErrorPath'`, `'SecondsPath'`…) → "The JSONPath '$.x' specified for the field 'ErrorPath'
 *   could not be found in the input '{…}'". All are States.Runtime.
 * - `applySelectionPath(path, scope, 'InputPath' | 'OutputPath')`: absent → value, null → {}, else the path.
 * - `applyResultPath(input, resultPath, result)`.
 * - `applyPayloadTemplate(template, scope, field?)`: Parameters / ResultSelector / ItemSelector / Assign.
 * - `evaluateDynamicValue(fieldName, value, scope)`: one value that is either a path or an intrinsic call
 *   (a `key.$` entry, or Fail's ErrorPath / CausePath, which accept intrinsics too).
 * - `evaluateIntrinsic(expression, scope)`: `States.*(...)` calls.
 * - `evaluateChoiceRule(rule, scope)`: JSONPath Choice rules (Variable + operator, And/Or/Not).
 */
export type { Scope } from './scope';
export {
  readPath,
  readScopedPath,
  applyResultPath,
  applySelectionPath,
  isDefinitePath,
  scopedPathExists,
  resolveScopedPath,
  type PathUse,
} from './paths';
export { evaluateIntrinsic, isIntrinsicExpression, parseIntrinsic, formatValue } from './intrinsics';
export { applyPayloadTemplate, evaluateDynamicValue, type PayloadField } from './payload-template';
export { evaluateChoiceRule, parseTimestamp, stringMatches } from './choice';
