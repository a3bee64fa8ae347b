import { evaluateTemplate } from '../jsonata';
import { applyInputPath, applyTemplate, finishPath, jsonataScope, outcomeOf, type StateOutcome, type StateRun } from './run';

/** Pass: copies its input (or its Result / Parameters) to its output. Synchronous in JSONPath. */
export function executePass(run: StateRun): StateOutcome | Promise<StateOutcome> {
  const s = run.state;
  if (run.lang === 'JSONata') return passJsonata(run);
  const effective = applyInputPath(run);
  let result: unknown;
  if (s.Result !== undefined) result = s.Result;
  else if (s.Parameters !== undefined) result = applyTemplate(run, s.Parameters, effective, 'Parameters');
  else result = effective;
  return outcomeOf(s, finishPath(run, result, { resultPath: true }));
}

async function passJsonata(run: StateRun): Promise<StateOutcome> {
  const s = run.state;
  const scope = jsonataScope(run);
  const assign = s.Assign !== undefined ? ((await evaluateTemplate(s.Assign, scope, 'Assign')) as Record<string, unknown>) : undefined;
  const output = s.Output !== undefined ? await evaluateTemplate(s.Output, scope, 'Output') : run.frame.input;
  return outcomeOf(s, { output, assign });
}
