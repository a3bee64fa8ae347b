/**
 * Definition checks run at CreateStateMachine/UpdateStateMachine, reporting what AWS reports:
 * `Invalid State Machine Definition: '<CODE>: <message> at <pointer>'` (several joined by ", ").
 */
import { InvalidDefinition } from './api-errors';
import { parseResource } from './integrations';

const STATE_TYPES = ['Task', 'Wait', 'Pass', 'Succeed', 'Fail', 'Choice', 'Parallel', 'Map'];
const TERMINAL = new Set(['Succeed', 'Fail']);

function isObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkBlock(block: unknown, at: string, errors: string[], topLevel: boolean): void {
  if (!isObject(block)) {
    errors.push(`SCHEMA_VALIDATION_FAILED: Expected an object at ${at || '/'}`);
    return;
  }
  const states = block.States;
  if (!isObject(states)) {
    errors.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [States] at ${at || '/'}`);
    return;
  }
  if (typeof block.StartAt !== 'string') {
    errors.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at ${at || '/'}`);
  } else if (!(block.StartAt in states)) {
    errors.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${block.StartAt} at ${at}/StartAt`);
  }
  if (topLevel && block.QueryLanguage !== undefined && block.QueryLanguage !== 'JSONPath' && block.QueryLanguage !== 'JSONata') {
    errors.push(`SCHEMA_VALIDATION_FAILED: The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata] at /QueryLanguage`);
  }
  const target = (name: unknown, where: string) => {
    if (typeof name !== 'string' || !(name in states)) errors.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${String(name)} at ${where}`);
  };
  for (const [name, state] of Object.entries(states)) {
    const here = `${at}/States/${name}`;
    if (name.length > 80) errors.push(`SCHEMA_VALIDATION_FAILED: State name '${name}' is longer than 80 characters at ${here}`);
    if (!isObject(state)) {
      errors.push(`SCHEMA_VALIDATION_FAILED: Expected an object at ${here}`);
      continue;
    }
    if (!STATE_TYPES.includes(state.Type)) {
      errors.push(`SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [${STATE_TYPES.join(', ')}] at ${here}/Type`);
      continue;
    }
    if (state.QueryLanguage !== undefined && state.QueryLanguage !== 'JSONPath' && state.QueryLanguage !== 'JSONata') {
      errors.push(`SCHEMA_VALIDATION_FAILED: The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata] at ${here}/QueryLanguage`);
    }
    if (!TERMINAL.has(state.Type) && state.Type !== 'Choice') {
      if (state.End === true && state.Next !== undefined) errors.push(`SCHEMA_VALIDATION_FAILED: Only one of these fields is allowed: [End, Next] at ${here}`);
      else if (state.End !== true && state.Next === undefined) errors.push(`MISSING_TRANSITION_TARGET: State ${name} has no 'Next' or 'End' field at ${here}`);
      else if (state.Next !== undefined) target(state.Next, `${here}/Next`);
    }
    if (state.Type === 'Choice') {
      if (!Array.isArray(state.Choices) || state.Choices.length === 0) {
        errors.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [Choices] at ${here}`);
      } else {
        state.Choices.forEach((c: any, i: number) => target(c?.Next, `${here}/Choices/${i}/Next`));
      }
      if (state.Default !== undefined) target(state.Default, `${here}/Default`);
    }
    if (state.Type === 'Task') {
      const r = parseResource(state.Resource);
      if ('unsupported' in r) errors.push(`SCHEMA_VALIDATION_FAILED: ${r.unsupported} (state '${name}') at ${here}/Resource`);
    }
    if (state.Type === 'Wait') {
      const n = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((f) => state[f] !== undefined).length;
      if (n !== 1) errors.push(`SCHEMA_VALIDATION_FAILED: Exactly one of these fields is required: [Seconds, Timestamp, SecondsPath, TimestampPath] at ${here}`);
    }
    if (state.Type === 'Fail') {
      if (state.Error !== undefined && state.ErrorPath !== undefined) errors.push(`SCHEMA_VALIDATION_FAILED: Only one of these fields is allowed: [Error, ErrorPath] at ${here}`);
      if (state.Cause !== undefined && state.CausePath !== undefined) errors.push(`SCHEMA_VALIDATION_FAILED: Only one of these fields is allowed: [Cause, CausePath] at ${here}`);
    }
    for (const [i, c] of (Array.isArray(state.Catch) ? state.Catch : []).entries()) target(c?.Next, `${here}/Catch/${i}/Next`);
    if (state.Type === 'Parallel') {
      if (!Array.isArray(state.Branches)) errors.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [Branches] at ${here}`);
      else state.Branches.forEach((b: unknown, i: number) => checkBlock(b, `${here}/Branches/${i}`, errors, false));
    }
    if (state.Type === 'Map') {
      const key = state.ItemProcessor !== undefined ? 'ItemProcessor' : state.Iterator !== undefined ? 'Iterator' : undefined;
      if (!key) errors.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [ItemProcessor] at ${here}`);
      else checkBlock(state[key], `${here}/${key}`, errors, false);
    }
  }
}

/** Throws InvalidDefinition when AWS would reject the definition. */
export function validateDefinition(definition: unknown): void {
  if (typeof definition !== 'string') throw new InvalidDefinition(`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: definition must be a string'`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (e) {
    throw new InvalidDefinition(`Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(e as Error).message}'`);
  }
  const errors: string[] = [];
  checkBlock(parsed, '', errors, true);
  if (errors.length) throw new InvalidDefinition(`Invalid State Machine Definition: '${errors.join(', ')}'`);
}
