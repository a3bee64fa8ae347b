import { evaluateTemplate } from '../jsonata';
import { applyInputPath, applyTemplate, finishState, jsonataScope, transition, type StateOutcome, type StateRun } from './run';

/** Pass: copies its input (or its Result / Parameters) to its output. */
export async function executePass(run: StateRun): Promise<StateOutcome> {
  const s = run.state;
  if (run.lang === 'JSONata') {
    const scope = jsonataScope(run);
    const assign = s.Assign !== undefined ? ((await evaluateTemplate(s.Assign, scope, 'Assign')) as Record<string, unknown>) : undefined;
    const output = s.Output !== undefined ? await evaluateTemplate(s.Output, scope, 'Output') : run.frame.input;
    return { output, assign, ...transition(s as { Next?: string; End?: boolean }) };
  }
  const effective = applyInputPath(run);
  let result: unknown;
  if (s.Result !== undefined) result = s.Result;
  else if (s.Parameters !== undefined) result = applyTemplate(run, s.Parameters, effective, 'Parameters');
  else result = effective;
  const { output, assign } = await finishState(run, result, { resultPath: true });
  return { output, assign, ...transition(s as { Next?: string; End?: boolean }) };
}
