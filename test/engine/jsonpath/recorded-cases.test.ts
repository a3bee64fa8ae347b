/**
 * Runs the AWS-recorded conformance cases that only need the JSONPath data plane: machines made
 * of Pass, Choice, Succeed and Fail states in the JSONPath query language. A tiny interpreter
 * below drives them through readScopedPath / applyResultPath / applyPayloadTemplate /
 * evaluateChoiceRule, then compares with the recording's rules (masks are wildcards).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StatesError } from '../../../local/engine/errors';
import { applyPayloadTemplate, applyResultPath, evaluateChoiceRule, readScopedPath, type Scope } from '../../../local/engine/jsonpath';

const CASES_FILE = path.resolve(__dirname, '../../../../shared/conformance/sfn-cases.json');

interface Case {
  id: string;
  category: string;
  definition: { StartAt: string; States: Record<string, Record<string, unknown>>; QueryLanguage?: string };
  input: unknown;
  expected: { status: string; output?: unknown; error?: string; cause?: unknown };
  masks?: { values?: string[]; substrings?: string[] };
}

const SUPPORTED_TYPES = new Set(['Pass', 'Choice', 'Succeed', 'Fail']);
const SUPPORTED_CATEGORIES = new Set(['choice', 'intrinsic', 'jsonpath', 'context', 'variables']);

function isSupported(c: Case): boolean {
  if (!SUPPORTED_CATEGORIES.has(c.category)) return false;
  if (c.definition.QueryLanguage === 'JSONata') return false;
  return Object.values(c.definition.States).every(
    (s) => SUPPORTED_TYPES.has(s.Type as string) && s.QueryLanguage !== 'JSONata' && s.Assign === undefined,
  );
}

function makeContext(input: unknown, stateName: string): Record<string, unknown> {
  return {
    Execution: {
      Id: 'arn:aws:states:us-east-1:000000000000:execution:machine-name:exec-name',
      Input: input,
      StartTime: '2024-01-01T00:00:00.000Z',
      Name: 'exec-name',
      RoleArn: 'arn:aws:iam::000000000000:role/role',
      RedriveCount: 0,
    },
    StateMachine: { Id: 'arn:aws:states:us-east-1:000000000000:stateMachine:machine-name', Name: 'machine-name' },
    State: { Name: stateName, EnteredTime: '2024-01-01T00:00:00.000Z' },
  };
}

type Outcome = { status: 'SUCCEEDED'; output: unknown } | { status: 'FAILED'; error?: string; cause?: string };

function run(c: Case): Outcome {
  const states = c.definition.States;
  let name = c.definition.StartAt;
  let data: unknown = c.input;
  for (let steps = 0; steps < 100; steps++) {
    const state = states[name];
    const scope = (input: unknown): Scope => ({ input, context: makeContext(c.input, name), variables: {} });
    try {
      const type = state.Type as string;
      if (type === 'Fail') {
        const error = state.ErrorPath !== undefined ? readScopedPath(state.ErrorPath as string, scope(data), 'ErrorPath') : state.Error;
        const cause = state.CausePath !== undefined ? readScopedPath(state.CausePath as string, scope(data), 'CausePath') : state.Cause;
        return { status: 'FAILED', error: error as string | undefined, cause: cause as string | undefined };
      }
      let effective = data;
      if ('InputPath' in state) effective = state.InputPath === null ? {} : readScopedPath(state.InputPath as string, scope(data), 'InputPath');
      if (type === 'Choice') {
        const choices = state.Choices as Record<string, unknown>[];
        const match = choices.find((r) => evaluateChoiceRule(r, scope(effective)));
        const next = match ? (match.Next as string) : (state.Default as string | undefined);
        if (!next) return { status: 'FAILED', error: 'States.NoChoiceMatched' };
        let out = effective;
        if ('OutputPath' in state) out = state.OutputPath === null ? {} : readScopedPath(state.OutputPath as string, scope(out), 'OutputPath');
        data = out;
        name = next;
        continue;
      }
      let result: unknown = effective;
      if (type === 'Pass') {
        if (state.Parameters !== undefined) result = applyPayloadTemplate(state.Parameters, scope(effective), 'Parameters');
        if (state.Result !== undefined) result = state.Result;
        result = applyResultPath(data, state.ResultPath as string | null | undefined, result);
      }
      let out = result;
      if ('OutputPath' in state) out = state.OutputPath === null ? {} : readScopedPath(state.OutputPath as string, scope(out), 'OutputPath');
      data = out;
      if (type === 'Succeed' || state.End === true) return { status: 'SUCCEEDED', output: data };
      name = state.Next as string;
    } catch (e) {
      if (e instanceof StatesError) return { status: 'FAILED', error: e.error, cause: e.cause };
      throw e;
    }
  }
  throw new Error('too many steps');
}

// ---- comparison with masks

function placeholderRegex(expected: string, substrings: string[]): RegExp {
  let re = '';
  const parts = expected.split(/(<[^<>]*>|111111111111)/);
  for (const p of parts) {
    if (/^<[^<>]*>$/.test(p)) re += '[\\s\\S]*';
    else if (p === '111111111111') re += '\\d{12}';
    else {
      let lit = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      for (const s of substrings) lit = lit.split(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*');
      re += lit;
    }
  }
  return new RegExp(`^${re}$`);
}

function matches(expected: unknown, actual: unknown, masks: { values: string[]; substrings: string[] }): boolean {
  if (typeof expected === 'string') {
    if (masks.values.includes(expected)) return true;
    if (/^<[^<>]*>$/.test(expected)) return true;
    if (typeof actual !== 'string') return false;
    return placeholderRegex(expected, masks.substrings).test(actual);
  }
  if ((Array.isArray(expected) || (typeof expected === 'object' && expected !== null)) && typeof actual === 'string') {
    try {
      return matches(expected, JSON.parse(actual), masks);
    } catch {
      return false;
    }
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(e, actual[i], masks));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const ek = Object.keys(expected);
    const ak = Object.keys(actual);
    if (ek.length !== ak.length) return false;
    return ek.every((k) => k in actual && matches((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], masks));
  }
  return expected === actual;
}

describe('recorded AWS cases evaluable with the JSONPath data plane', () => {
  it('the conformance file exists', () => {
    expect(fs.existsSync(CASES_FILE)).toBe(true);
  });
  const all: Case[] = fs.existsSync(CASES_FILE) ? (JSON.parse(fs.readFileSync(CASES_FILE, 'utf8')).cases as Case[]) : [];
  const cases = all.filter(isSupported);
  it('finds recorded cases to run', () => {
    expect(cases.length).toBeGreaterThan(300);
  });
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const outcome = run(c);
    const masks = { values: c.masks?.values ?? [], substrings: c.masks?.substrings ?? [] };
    expect(outcome.status).toBe(c.expected.status);
    if (c.expected.status === 'SUCCEEDED') {
      const ok = matches(c.expected.output, (outcome as { output: unknown }).output, masks);
      if (!ok) expect((outcome as { output: unknown }).output).toEqual(c.expected.output);
    } else {
      expect((outcome as { error?: string }).error).toBe(c.expected.error);
    }
  });
});
