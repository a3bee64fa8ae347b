import { StatesError } from '../errors';
import { evaluateTemplate } from '../jsonata';
import { evaluateChoiceRule } from '../jsonpath';
import { applyInputPath, applyOutputPath, applyTemplate, jsonataScope, pathScope, type StateOutcome, type StateRun } from './run';

/**
 * Choice: the first rule that matches picks the next state; else Default, else
 * States.NoChoiceMatched. Synchronous in JSONPath.
 */
export function executeChoice(run: StateRun): StateOutcome | Promise<StateOutcome> {
  if (run.lang === 'JSONata') return choiceJsonata(run);
  const s = run.state;
  const choices = (s.Choices ?? []) as Record<string, unknown>[];
  const effective = applyInputPath(run);
  const scope = pathScope(run, effective);
  for (const rule of choices) {
    if (evaluateChoiceRule(rule, scope)) return jsonPathExit(run, effective, rule, rule.Next as string);
  }
  if (s.Default !== undefined) return jsonPathExit(run, effective, s, s.Default as string);
  throw noMatch(run);
}

async function choiceJsonata(run: StateRun): Promise<StateOutcome> {
  const s = run.state;
  const choices = (s.Choices ?? []) as Record<string, unknown>[];
  const scope = jsonataScope(run);
  for (let i = 0; i < choices.length; i++) {
    const rule = choices[i];
    const ok = await evaluateTemplate(rule.Condition, scope, `Condition`);
    if (typeof ok !== 'boolean') {
      throw new StatesError(
        'States.QueryEvaluationError',
        `The JSONata expression '${String(rule.Condition)}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${typeName(ok)}' for value: ${JSON.stringify(ok)}`,
      );
    }
    if (ok) return jsonataExit(run, rule, rule.Next as string);
  }
  if (s.Default !== undefined) return jsonataExit(run, s, s.Default as string);
  throw noMatch(run);
}

function noMatch(run: StateRun): StatesError {
  return new StatesError('States.NoChoiceMatched', `No Matches! at state '${run.name}'`);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** A matched rule's own Assign/Output take part along with the state's. */
async function jsonataExit(run: StateRun, rule: Record<string, unknown>, next: string): Promise<StateOutcome> {
  const s = run.state;
  const scope = jsonataScope(run);
  let assign: Record<string, unknown> | undefined;
  if (s.Assign !== undefined) assign = (await evaluateTemplate(s.Assign, scope, 'Assign')) as Record<string, unknown>;
  if (rule !== s && rule.Assign !== undefined) assign = { ...assign, ...((await evaluateTemplate(rule.Assign, scope, 'Assign')) as Record<string, unknown>) };
  const outputTemplate = rule !== s && rule.Output !== undefined ? rule.Output : s.Output;
  const output = outputTemplate !== undefined ? await evaluateTemplate(outputTemplate, scope, 'Output') : run.frame.input;
  return { output, assign, next };
}

function jsonPathExit(run: StateRun, effective: unknown, rule: Record<string, unknown>, next: string): StateOutcome {
  const s = run.state;
  let assign: Record<string, unknown> | undefined;
  if (s.Assign !== undefined) assign = applyTemplate(run, s.Assign, effective, 'Assign') as Record<string, unknown>;
  if (rule !== s && rule.Assign !== undefined) assign = { ...assign, ...(applyTemplate(run, rule.Assign, effective, 'Assign') as Record<string, unknown>) };
  return { output: applyOutputPath(run, effective), assign, next };
}
