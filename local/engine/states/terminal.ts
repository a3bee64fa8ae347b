import { StatesError } from '../errors';
import { evaluateTemplate } from '../jsonata';
import { evaluateIntrinsic, isIntrinsicExpression } from '../jsonpath';
import { applyInputPath, readStatePath, applyOutputPath, FailStateError, jsonataScope, pathScope, type StateOutcome, type StateRun } from './run';

/** Succeed: ends the frame successfully with its (filtered) input. Synchronous in JSONPath. */
export function executeSucceed(run: StateRun): StateOutcome | Promise<StateOutcome> {
  const s = run.state;
  if (run.lang === 'JSONata') {
    if (s.Output === undefined) return { output: run.frame.input, end: true };
    return (evaluateTemplate(s.Output, jsonataScope(run), 'Output') as Promise<unknown>).then((output) => ({ output, end: true }));
  }
  return { output: applyOutputPath(run, applyInputPath(run)), end: true };
}

function stringField(run: StateRun, field: 'Error' | 'Cause', pathField: 'ErrorPath' | 'CausePath'): string | undefined {
  const s = run.state;
  if (s[field] !== undefined) return String(s[field]);
  const p = s[pathField];
  if (p === undefined) return undefined;
  const v = isIntrinsicExpression(p) ? evaluateIntrinsic(p, pathScope(run, run.frame.input), pathField) : readStatePath(run, p, run.frame.input, pathField);
  if (typeof v !== 'string') {
    throw new StatesError('States.Runtime', `The ${pathField} field refers to value ${JSON.stringify(v)} which is not a valid string: ${p}`);
  }
  return v;
}

/** Fail: ends the frame with Error/Cause (literal, path, intrinsic or JSONata). Synchronous in JSONPath. */
export function executeFail(run: StateRun): StateOutcome | Promise<StateOutcome> {
  if (run.lang === 'JSONata') return failJsonata(run);
  throw failure(stringField(run, 'Error', 'ErrorPath'), stringField(run, 'Cause', 'CausePath'));
}

async function failJsonata(run: StateRun): Promise<StateOutcome> {
  const s = run.state;
  const scope = jsonataScope(run);
  const error = s.Error !== undefined ? await evaluateTemplate(s.Error, scope, 'Error') : undefined;
  const cause = s.Cause !== undefined ? await evaluateTemplate(s.Cause, scope, 'Cause') : undefined;
  throw failure(error, cause);
}

function failure(error: unknown, cause: unknown): FailStateError {
  return new FailStateError(error === undefined ? '' : String(error), cause === undefined ? '' : String(cause));
}
