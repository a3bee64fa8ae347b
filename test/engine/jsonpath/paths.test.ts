import { applyResultPath, applySelectionPath, readPath, readScopedPath, type Scope } from '../../../local/engine/jsonpath';
import { statesError } from './support';

const data = {
  a: { b: { c: 1 } },
  items: [{ id: 1, tag: 'x' }, { id: 2, tag: 'y' }, { id: 3 }],
  'input-value': 7,
  nil: null,
  nums: [5, 1, 4],
};

describe('readPath: reference paths', () => {
  it('returns the whole document for $', () => {
    expect(readPath('$', data)).toBe(data);
  });
  it('reads nested fields and indexes', () => {
    expect(readPath('$.a.b.c', data)).toBe(1);
    expect(readPath('$.items[1].id', data)).toBe(2);
    expect(readPath("$['a']['b']", data)).toEqual({ c: 1 });
    expect(readPath('$.items[-1]', data)).toEqual({ id: 3 });
  });
  it('reads names with dashes in dot notation', () => {
    expect(readPath('$.input-value', data)).toBe(7);
  });
  it('returns null for a field that holds null', () => {
    expect(readPath('$.nil', data)).toBeNull();
  });
  it("fails with States.Runtime and AWS's InputPath message for a missing field", () => {
    const e = statesError(() => readPath('$.NoSuchInputPath', { 'int-literal': 0 }, 'InputPath'));
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toBe("Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']");
  });
  it('reports a missing intermediate property', () => {
    const e = statesError(() => readPath('$.x.y', {}, 'OutputPath'));
    expect(e.cause).toBe("Invalid path '$.x.y' : Missing property in path $['x']");
  });
  it('fails for an out-of-range index', () => {
    expect(statesError(() => readPath('$.items[10]', data)).error).toBe('States.Runtime');
  });
  it('uses the field message for payload fields', () => {
    const e = statesError(() => readPath('$.no_such_jsonpath', { 'int-literal': 0 }, 'value.$'));
    expect(e.cause).toBe(
      "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"int-literal\":0}'",
    );
  });
});

describe('readPath: indefinite paths return lists', () => {
  it('wildcards', () => {
    expect(readPath('$.items[*].id', data)).toEqual([1, 2, 3]);
    expect(readPath('$.a.*', data)).toEqual([{ c: 1 }]);
  });
  it('slices', () => {
    expect(readPath('$.items[:1]', data)).toEqual([{ id: 1, tag: 'x' }]);
    expect(readPath('$.nums[1:]', data)).toEqual([1, 4]);
    expect(readPath('$.nums[-2:]', data)).toEqual([1, 4]);
    expect(readPath('$.nums[::2]', data)).toEqual([5, 4]);
  });
  it('multi-index and multi-name', () => {
    expect(readPath('$.nums[0,2]', data)).toEqual([5, 4]);
    expect(readPath("$.items[0]['id','tag']", data)).toEqual([1, 'x']);
  });
  it('deep scan', () => {
    expect(readPath('$..id', data)).toEqual([1, 2, 3]);
    expect(readPath('$..c', data)).toEqual([1]);
  });
  it('filters', () => {
    expect(readPath('$.items[?(@.id > 1)].id', data)).toEqual([2, 3]);
    expect(readPath("$.items[?(@.tag == 'y')]", data)).toEqual([{ id: 2, tag: 'y' }]);
    expect(readPath('$.items[?(@.tag)].id', data)).toEqual([1, 2]);
    expect(readPath("$.items[?(@.id >= 2 && @.tag != 'y')].id", data)).toEqual([3]);
    expect(readPath('$.items[?(@.tag =~ /x|y/)].id', data)).toEqual([1, 2]);
    expect(readPath("$.items[?(@.tag in ['x'])].id", data)).toEqual([1]);
  });
  it('returns [] instead of failing when nothing matches', () => {
    expect(readPath('$.items[*]', {})).toEqual([]);
    expect(readPath('$.item.items[:1]', {})).toEqual([]);
    expect(readPath('$.items[*].itemValue', {})).toEqual([]);
    expect(readPath('$[*]', {})).toEqual([]);
  });
  it('supports trailing functions', () => {
    expect(readPath('$.items.length()', data)).toBe(3);
    expect(readPath('$.nums.max()', data)).toBe(5);
    expect(readPath('$.nums.sum()', data)).toBe(10);
  });
});

describe('readScopedPath', () => {
  const scope: Scope = {
    input: { x: 1 },
    context: { Execution: { Input: { 'input-value': 0 }, Name: 'exec' }, Map: { Item: { Value: 'v', Index: 0 } } },
    variables: { answer: 42, obj: { list: [1, 2] }, nothing: null },
  };
  it('reads the input, the context object and variables', () => {
    expect(readScopedPath('$.x', scope)).toBe(1);
    expect(readScopedPath('$', scope)).toEqual({ x: 1 });
    expect(readScopedPath('$$.Execution.Input.input-value', scope)).toBe(0);
    expect(readScopedPath('$$.Map.Item.Value', scope)).toBe('v');
    expect(readScopedPath('$answer', scope)).toBe(42);
    expect(readScopedPath('$obj.list[1]', scope)).toBe(2);
    expect(readScopedPath('$obj.list[*]', scope)).toEqual([1, 2]);
    expect(readScopedPath('$nothing', scope)).toBeNull();
  });
  it('fails for a missing context field, naming the full path', () => {
    const e = statesError(() => readScopedPath('$$.Execution.Input.no_such_jsonpath', scope, 'value.$'));
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toContain("The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$'");
  });
  it('fails for an undefined variable', () => {
    expect(statesError(() => readScopedPath('$noSuchVar', scope, 'x.$')).error).toBe('States.Runtime');
    expect(statesError(() => readScopedPath('$noSuchVar.member', scope)).error).toBe('States.Runtime');
  });
});

describe('applyResultPath', () => {
  it('replaces the input when ResultPath is absent or $', () => {
    expect(applyResultPath({ a: 1 }, undefined, 'r')).toBe('r');
    expect(applyResultPath({ a: 1 }, '$', { r: 1 })).toEqual({ r: 1 });
  });
  it('keeps the input when ResultPath is null', () => {
    expect(applyResultPath({ a: 1 }, null, 'r')).toEqual({ a: 1 });
  });
  it('merges the result into a copy of the input, creating objects', () => {
    const input = { a: { keep: true } };
    const out = applyResultPath(input, '$.a.b.c', 5);
    expect(out).toEqual({ a: { keep: true, b: { c: 5 } } });
    expect(input).toEqual({ a: { keep: true } });
  });
  it('overwrites an existing field', () => {
    expect(applyResultPath({ a: 1, b: 2 }, '$.a', { x: 1 })).toEqual({ a: { x: 1 }, b: 2 });
  });
  it('writes into an existing array element', () => {
    expect(applyResultPath({ a: [1, 2] }, '$.a[1]', 'r')).toEqual({ a: [1, 'r'] });
  });
  it('fails with States.ResultPathMatchFailure when the input is not an object', () => {
    const e = statesError(() => applyResultPath('text', '$.a', 1));
    expect(e.error).toBe('States.ResultPathMatchFailure');
    expect(e.cause).toBe('Unable to apply ReferencePath $.a to input "text"');
  });
  it('fails when an intermediate value is not an object', () => {
    expect(statesError(() => applyResultPath({ a: 1 }, '$.a.b', 1)).error).toBe('States.ResultPathMatchFailure');
  });
});

describe('readPath: Jayway dialect details', () => {
  const users = {
    users: [
      { year: 1997, name: 'User1997', status: 0 },
      { year: 1998, name: 'User1998', status: 0 },
      { year: 1999, last: 'User1999', status: 0 },
      { year: 2000, last: 'User2000', status: 1 },
    ],
  };
  it('accepts a dot before a bracket', () => {
    expect(readPath('$.[?(@.year <= 1998)].name', users.users)).toEqual(['User1997', 'User1998']);
    expect(readPath('$.users.[0].year', users)).toBe(1997);
  });
  it('filters on the root array', () => {
    expect(readPath('$[?(@.year <= 1998)]', users.users)).toHaveLength(2);
    expect(readPath('$.users[?(@.status == 0)]', users)).toHaveLength(3);
  });
});

describe('applySelectionPath (InputPath / OutputPath)', () => {
  const scope: Scope = { input: { a: 1 }, context: { Execution: { Input: { i: 2 } } }, variables: { answer: 42 } };
  it('returns the value when absent, {} when null', () => {
    expect(applySelectionPath(undefined, scope, 'InputPath')).toEqual({ a: 1 });
    expect(applySelectionPath(null, scope, 'OutputPath')).toEqual({});
  });
  it('reads input, context and variable paths', () => {
    expect(applySelectionPath('$.a', scope, 'InputPath')).toBe(1);
    expect(applySelectionPath('$$.Execution.Input', scope, 'OutputPath')).toEqual({ i: 2 });
    expect(applySelectionPath('$answer', scope, 'InputPath')).toBe(42);
  });
});

describe('readPath: quoted bracket names', () => {
  it('unescapes Java escapes like Jayway', () => {
    expect(readPath("$['it\\'s']", { "it's": 1 })).toBe(1);
    expect(readPath('$["a\\"b"]', { 'a"b': 2 })).toBe(2);
    expect(readPath("$['tab\\there']", { 'tab\there': 3 })).toBe(3);
    expect(readPath("$['\\u0041']", { A: 4 })).toBe(4);
    expect(readPath("$['a.b']", { 'a.b': 5 })).toBe(5);
  });
});
