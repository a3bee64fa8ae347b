import { applyPayloadTemplate, type Scope } from '../../../local/engine/jsonpath';
import { statesError as errorOf } from './support';

const scope: Scope = {
  input: { a: 1, list: [1, 2, 3], name: 'Ada', nested: { x: true } },
  context: { Execution: { Id: 'arn:exec', Input: { orig: true } }, Map: { Item: { Value: 'v', Index: 2 } } },
  variables: { bucket: 'b-1', cfg: { retries: 3 } },
};

describe('applyPayloadTemplate', () => {
  it('copies static values unchanged', () => {
    const template = { s: 'x', n: 1, b: false, z: null, arr: [1, 'two'], obj: { deep: 'yes' }, lookalike: '$.a' };
    expect(applyPayloadTemplate(template, scope, 'Parameters')).toEqual(template);
  });
  it('evaluates .$ keys from the input, context and variables, dropping the suffix', () => {
    expect(
      applyPayloadTemplate(
        {
          'all.$': '$',
          'a.$': '$.a',
          'ids.$': '$.list[*]',
          'exec.$': '$$.Execution.Id',
          'item.$': '$$.Map.Item.Value',
          'bucket.$': '$bucket',
          'retries.$': '$cfg.retries',
        },
        scope,
      ),
    ).toEqual({
      all: scope.input,
      a: 1,
      ids: [1, 2, 3],
      exec: 'arn:exec',
      item: 'v',
      bucket: 'b-1',
      retries: 3,
    });
  });
  it('evaluates intrinsic functions', () => {
    expect(applyPayloadTemplate({ 'greeting.$': "States.Format('Hi {}', $.name)", 'n.$': 'States.ArrayLength($.list)' }, scope)).toEqual({
      greeting: 'Hi Ada',
      n: 3,
    });
  });
  it('recurses into nested objects and arrays of objects', () => {
    expect(applyPayloadTemplate({ outer: { 'x.$': '$.nested.x' }, list: [{ 'a.$': '$.a' }, 'plain'] }, scope)).toEqual({
      outer: { x: true },
      list: [{ a: 1 }, 'plain'],
    });
  });
  it("fails with AWS's message when a path matches nothing", () => {
    const e = errorOf(() => applyPayloadTemplate({ 'value.$': '$.no_such_jsonpath' }, { ...scope, input: { 'int-literal': 0 } }));
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toBe(
      "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"int-literal\":0}'",
    );
  });
  it('fails for a missing context path with the full path in the message', () => {
    const e = errorOf(() => applyPayloadTemplate({ 'value.$': '$$.Execution.Input.no_such_jsonpath' }, scope));
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toContain("'$$.Execution.Input.no_such_jsonpath'");
  });
  it('does not evaluate keys without the .$ suffix', () => {
    expect(applyPayloadTemplate({ bucketName: '$bucket', f: "States.Format('x')" }, scope)).toEqual({
      bucketName: '$bucket',
      f: "States.Format('x')",
    });
  });
  it('returns a new object without mutating the template', () => {
    const template = { a: { 'b.$': '$.a' } };
    const out = applyPayloadTemplate(template, scope);
    expect(template).toEqual({ a: { 'b.$': '$.a' } });
    expect(out).not.toBe(template);
  });
});
