import { evaluateTemplate } from '../jsonata';
import { applyInputPath, applyTemplate, finishState, jsonataScope, transition, type StateOutcome, type StateRun } from './run';

/** Parallel: runs every branch on the same input; the output is the array of branch outputs. */
export async function executeParallel(run: StateRun): Promise<StateOutcome> {
  const s = run.state;
  const branches = (s.Branches ?? []) as unknown[];
  let effective: unknown;
  if (run.lang === 'JSONata') {
    effective = s.Arguments !== undefined ? await evaluateTemplate(s.Arguments, jsonataScope(run), 'Arguments') : run.frame.input;
  } else {
    effective = applyInputPath(run);
    if (s.Parameters !== undefined) effective = applyTemplate(run, s.Parameters, effective, 'Parameters');
  }
  if (!run.frame.children) {
    run.frame.children = { kind: 'parallel', frames: branches.map(() => null), results: [], done: [], failures: 0 };
    run.host.event(run.frame, 'ParallelStateStarted');
    run.host.checkpoint();
  }
  const block = [...run.frame.block, 'States', run.name, 'Branches'];
  let results: unknown[];
  try {
    results = await run.host.runChildren(run, {
      blockFor: (slot) => [...block, String(slot)],
      inputFor: async () => effective,
      maxConcurrency: 0,
    });
  } catch (e) {
    if (!run.signal.aborted) run.host.event(run.frame, 'ParallelStateFailed');
    run.frame.children = undefined;
    throw e;
  }
  run.frame.children = undefined;
  run.host.event(run.frame, 'ParallelStateSucceeded');
  const { output, assign } = await finishState(run, results, { resultSelector: true, resultPath: true });
  return { output, assign, ...transition(s as { Next?: string; End?: boolean }) };
}
