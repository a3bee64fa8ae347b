import { StatesError } from '../errors';
import { evaluateTemplate } from '../jsonata';
import { evaluateIntrinsic, isIntrinsicExpression } from '../jsonpath';
import { applyInputPath, readStatePath, applyOutputPath, FailStateError, jsonataScope, pathScope, type StateOutcome, type StateRun } from './run';

/** Succeed: ends the frame successfully with its (filtered) input. */
export async function executeSucceed(run: StateRun): Promise<StateOutcome> {
  const s = run.state;
  if (run.lang === 'JSONata') {
    const output = s.Output !== undefined ? await evaluateTemplate(s.Output, jsonataScope(run), 'Output') : run.frame.input;
    return { output, end: true };
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

/** Fail: ends the frame with Error/Cause (literal, path, intrinsic or JSONata). */
export async function executeFail(run: StateRun): Promise<StateOutcome> {
  const s = run.state;
  let error: unknown;
  let cause: unknown;
  if (run.lang === 'JSONata') {
    const scope = jsonataScope(run);
    if (s.Error !== undefined) error = await evaluateTemplate(s.Error, scope, 'Error');
    if (s.Cause !== undefined) cause = await evaluateTemplate(s.Cause, scope, 'Cause');
  } else {
    error = stringField(run, 'Error', 'ErrorPath');
    cause = stringField(run, 'Cause', 'CausePath');
  }
  throw new FailStateError(error === undefined ? '' : String(error), cause === undefined ? '' : String(cause));
}
