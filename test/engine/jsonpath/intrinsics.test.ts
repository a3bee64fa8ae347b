import { createHash } from 'node:crypto';
import { evaluateIntrinsic, type Scope } from '../../../local/engine/jsonpath';
import { statesError as errorOf } from './support';

function scope(input: unknown, variables: Record<string, unknown> = {}): Scope {
  return {
    input,
    context: { Execution: { Name: 'exec-1' }, StateMachine: { Id: 'arn:sm', Name: 'order-to-ship' } },
    variables,
  };
}

function ev(expr: string, input: unknown = {}, variables: Record<string, unknown> = {}): unknown {
  return evaluateIntrinsic(expr, scope(input, variables));
}

describe('intrinsic parsing', () => {
  it('parses literals: strings, numbers, booleans, null', () => {
    expect(ev("States.Array('a', 1, -2.5, true, false, null)")).toEqual(['a', 1, -2.5, true, false, null]);
  });
  it('parses path arguments from input, context and variables', () => {
    expect(ev('States.Array($.a, $$.Execution.Name, $v, $obj.x[0])', { a: 1 }, { v: 'var', obj: { x: [9] } })).toEqual([
      1,
      'exec-1',
      'var',
      9,
    ]);
  });
  it('parses paths with brackets and quoted names containing commas', () => {
    expect(ev("States.Array($['a,b'], $.l[1])", { 'a,b': 1, l: [0, 2] })).toEqual([1, 2]);
  });
  it('evaluates nested calls', () => {
    expect(ev("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)")).toBe('order');
    expect(
      ev(
        "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))",
      ),
    ).toBe('ship');
  });
  it('accepts spaces around arguments', () => {
    expect(ev("States.Array( 1 ,'x' )")).toEqual([1, 'x']);
  });
  it('unescapes \\\' \\\\ in string literals and keeps other characters', () => {
    expect(ev("States.Array('it\\'s', 'back\\\\slash', 'Hello\nWorld')")).toEqual(["it's", 'back\\slash', 'Hello\nWorld']);
  });
  it('rejects a malformed expression with States.Runtime', () => {
    expect(errorOf(() => ev('States.Array(1'))).toMatchObject({ error: 'States.Runtime' });
    expect(errorOf(() => ev('States.NoSuchFunction(1)'))).toMatchObject({ error: 'States.Runtime' });
  });
  it('fails with States.Runtime when a path argument matches nothing', () => {
    const e = errorOf(() => ev("States.Format('{}', $.missing)", { a: 1 }));
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toBe(
      "The function 'States.Format('{}', $.missing)' had the following error: The JsonPath argument for the field '$.missing' could not be found in the input '{\"a\":1}'",
    );
    expect(errorOf(() => ev('States.Format($.nope, 1)', {})).error).toBe('States.Runtime');
    expect(errorOf(() => ev('States.Array($undefinedVariable)', {})).error).toBe('States.Runtime');
  });
  it('names the whole expression in argument errors', () => {
    const e = errorOf(() => ev('States.ArrayLength(States.Array(1), 2)'));
    expect(e.error).toBe('States.IntrinsicFailure');
    expect(e.cause).toMatch(/^The function 'States.ArrayLength\(States.Array\(1\), 2\)' had the following error: /);
  });
});

describe('States.Format', () => {
  it('interpolates strings, numbers, null, booleans', () => {
    expect(ev("States.Format('a={} b={} c={} d={}', 'x', 1.5, null, true)")).toBe('a=x b=1.5 c=null d=true');
  });
  it('renders objects and arrays like Java maps and lists', () => {
    expect(ev("States.Format('{}', $.o)", { o: { Arg1: 1, Arg2: [] } })).toBe('{Arg1=1, Arg2=[]}');
    expect(ev("States.Format('{}', $.l)", { l: [1, 'a', { b: null }] })).toBe('[1, a, {b=null}]');
  });
  it('treats escaped braces as literal', () => {
    expect(ev("States.Format('\\{\\} and {}', 'x')")).toBe('{} and x');
  });
  it('accepts a template from a path', () => {
    expect(ev('States.Format($.t, $.n)', { t: "It's {}!", n: 'Pikachu' })).toBe("It's Pikachu!");
  });
  it('fails when arguments and placeholders do not match', () => {
    expect(errorOf(() => ev("States.Format('{} {}', 'x')")).error).toBe('States.IntrinsicFailure');
    expect(errorOf(() => ev("States.Format('{}', 'x', 'y')")).error).toBe('States.IntrinsicFailure');
  });
});

describe('JSON functions', () => {
  it('StringToJson parses JSON; empty string is null', () => {
    expect(ev('States.StringToJson($.s)', { s: '{"a":[1,2]}' })).toEqual({ a: [1, 2] });
    expect(ev('States.StringToJson($.s)', { s: '' })).toBeNull();
    expect(ev('States.StringToJson($.s)', { s: '1.1' })).toBe(1.1);
    expect(ev('States.StringToJson($.s)', { s: '-0' })).toBe(0);
  });
  it('StringToJson rejects invalid JSON', () => {
    expect(errorOf(() => ev('States.StringToJson($.s)', { s: '{oops' })).error).toBe('States.IntrinsicFailure');
  });
  it('JsonToString produces compact JSON', () => {
    expect(ev('States.JsonToString($.o)', { o: { a: 1, b: [true, null] } })).toBe('{"a":1,"b":[true,null]}');
    expect(ev('States.JsonToString($.o)', { o: null })).toBe('null');
  });
  it('JsonMerge merges shallowly, right wins', () => {
    expect(
      ev('States.JsonMerge($.a, $.b, false)', { a: { a: { a1: 1 }, b: 2, d: 3 }, b: { a: { a3: 1 }, c: 3, d: 4 } }),
    ).toEqual({ a: { a3: 1 }, b: 2, c: 3, d: 4 });
  });
  it('JsonMerge rejects deep merging and non-objects', () => {
    expect(errorOf(() => ev('States.JsonMerge($.a, $.a, true)', { a: {} })).error).toBe('States.IntrinsicFailure');
    expect(errorOf(() => ev('States.JsonMerge($.a, $.b, false)', { a: {}, b: [] })).error).toBe('States.IntrinsicFailure');
  });
  it('JsonMerge accepts a nested StringToJson call with escaped quotes', () => {
    expect(
      ev('States.JsonMerge(States.StringToJson(\'{"k": "false"}\'), $.o, false)', { o: { m: 1 } }),
    ).toEqual({ k: 'false', m: 1 });
  });
});

describe('array functions', () => {
  it('Array builds an array, possibly empty', () => {
    expect(ev('States.Array()')).toEqual([]);
  });
  it('ArrayPartition chunks arrays', () => {
    expect(ev('States.ArrayPartition($.a, 2)', { a: [0, 1, 2, 3, 4] })).toEqual([[0, 1], [2, 3], [4]]);
    expect(ev('States.ArrayPartition($.a, 3)', { a: [] })).toEqual([]);
    expect(errorOf(() => ev('States.ArrayPartition($.a, 0)', { a: [1] })).error).toBe('States.IntrinsicFailure');
  });
  it('ArrayContains uses deep equality', () => {
    expect(ev('States.ArrayContains($.a, $.v)', { a: [{ 1: 2, 2: [] }], v: { 2: [], 1: 2 } })).toBe(true);
    expect(ev('States.ArrayContains($.a, $.v)', { a: [], v: [] })).toBe(false);
    expect(ev('States.ArrayContains($.a, $.v)', { a: [[1, 2, 3], 2], v: null })).toBe(false);
  });
  it('ArrayRange includes the end and caps at 1000 items', () => {
    expect(ev('States.ArrayRange(0, 10, 3)')).toEqual([0, 3, 6, 9]);
    expect(ev('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(ev('States.ArrayRange(1, 9, 9)')).toEqual([1]);
    expect((ev('States.ArrayRange(1, 1000, 1)') as number[]).length).toBe(1000);
    expect(errorOf(() => ev('States.ArrayRange(0, 1000, 1)')).error).toBe('States.IntrinsicFailure');
    expect(errorOf(() => ev('States.ArrayRange(0, 10, 0)')).error).toBe('States.IntrinsicFailure');
  });
  it('ArrayGetItem returns the item at an index', () => {
    expect(ev('States.ArrayGetItem($.a, 5)', { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toBe(6);
    expect(errorOf(() => ev('States.ArrayGetItem($.a, 3)', { a: [1] })).error).toBe('States.IntrinsicFailure');
    expect(errorOf(() => ev('States.ArrayGetItem($.a, -1)', { a: [1] })).error).toBe('States.IntrinsicFailure');
  });
  it('ArrayLength counts items and rejects non-arrays', () => {
    expect(ev('States.ArrayLength($.a)', { a: [null, null, {}] })).toBe(3);
    expect(errorOf(() => ev('States.ArrayLength($.a)', { a: 'abc' })).error).toBe('States.IntrinsicFailure');
  });
  it('ArrayUnique removes deep duplicates keeping first occurrences', () => {
    expect(
      ev('States.ArrayUnique($.a)', { a: [null, null, 1, 1, 'x', 'x', [], [], { a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1, b: 1 }] }),
    ).toEqual([null, 1, 'x', [], { a: 1, b: 2 }, { a: 1, b: 1 }]);
  });
});

describe('encoding and hashing', () => {
  it('Base64Encode / Base64Decode round trip UTF-8', () => {
    expect(ev("States.Base64Encode('Data to encode')")).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(ev("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')")).toBe('Data to encode');
    expect(ev("States.Base64Encode('')")).toBe('');
    expect(ev("States.Base64Decode('')")).toBe('');
  });
  it('Base64 functions limit their input to 10000 characters', () => {
    expect(errorOf(() => ev('States.Base64Encode($.s)', { s: 'a'.repeat(10001) })).error).toBe('States.IntrinsicFailure');
    expect(typeof ev('States.Base64Encode($.s)', { s: 'a'.repeat(10000) })).toBe('string');
  });
  it('Hash supports the five algorithms', () => {
    for (const [name, node] of [
      ['MD5', 'md5'],
      ['SHA-1', 'sha1'],
      ['SHA-256', 'sha256'],
      ['SHA-384', 'sha384'],
      ['SHA-512', 'sha512'],
    ]) {
      expect(ev(`States.Hash('input data', '${name}')`)).toBe(createHash(node).update('input data').digest('hex'));
    }
    expect(ev("States.Hash('input data', 'SHA-1')")).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
  });
  it('Hash rejects unknown algorithms', () => {
    expect(errorOf(() => ev("States.Hash('x', 'SHA-3')")).error).toBe('States.IntrinsicFailure');
  });
});

describe('math, string and uuid functions', () => {
  it('MathAdd rounds non-integers like Java Math.round', () => {
    expect(ev('States.MathAdd(-9, 3)')).toBe(-6);
    expect(ev('States.MathAdd(1.49, 1.5)')).toBe(3);
    expect(ev('States.MathAdd(-1.5, 0)')).toBe(-1);
    expect(ev('States.MathAdd(-2.5, 0)')).toBe(-2);
    expect(ev('States.MathAdd(2.5, 0)')).toBe(3);
    expect(ev('States.MathAdd(-0.5, 0.5)')).toBe(1);
  });
  it('MathAdd rejects non-numbers', () => {
    expect(errorOf(() => ev("States.MathAdd('1', 2)")).error).toBe('States.IntrinsicFailure');
  });
  it('MathRandom returns an integer in [start, end)', () => {
    for (let i = 0; i < 50; i++) {
      const v = ev('States.MathRandom(1, 5)') as number;
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThan(5);
    }
  });
  it('MathRandom with a seed is deterministic', () => {
    expect(ev('States.MathRandom(0, 999, 3)')).toBe(ev('States.MathRandom(0, 999, 3)'));
  });
  it('StringSplit splits on any delimiter character and drops empty parts', () => {
    expect(ev("States.StringSplit('This.is+a,test=string', '.+,=')")).toEqual(['This', 'is', 'a', 'test', 'string']);
    expect(ev("States.StringSplit(',,,,', ',')")).toEqual([]);
    expect(ev("States.StringSplit(' , ', ',')")).toEqual([' ', ' ']);
    expect(ev("States.StringSplit('Hello\nWorld', '\n')")).toEqual(['Hello', 'World']);
  });
  it('UUID returns a v4 uuid', () => {
    expect(ev('States.UUID()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('checks argument counts', () => {
    expect(errorOf(() => ev('States.UUID(1)')).error).toBe('States.IntrinsicFailure');
    expect(errorOf(() => ev('States.MathAdd(1)')).error).toBe('States.IntrinsicFailure');
    expect(errorOf(() => ev('States.ArrayLength()')).error).toBe('States.IntrinsicFailure');
  });
});
