export type { Scope } from './scope';
export { readPath, readScopedPath, applyResultPath, isDefinitePath, scopedPathExists, resolveScopedPath, type PathUse } from './paths';
export { evaluateIntrinsic, isIntrinsicExpression, parseIntrinsic, formatValue } from './intrinsics';
export { applyPayloadTemplate, evaluateDynamicValue, type PayloadField } from './payload-template';
export { evaluateChoiceRule, parseTimestamp, stringMatches } from './choice';
