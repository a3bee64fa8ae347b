import { evaluateChoiceRule, parseTimestamp, stringMatches, type Scope } from '../../../local/engine/jsonpath';
import { statesError as errorOf } from './support';

function scope(input: unknown, variables: Record<string, unknown> = {}): Scope {
  return { input, context: { Execution: { Input: input } }, variables };
}

function rule(r: Record<string, unknown>, input: unknown, variables: Record<string, unknown> = {}): boolean {
  return evaluateChoiceRule(r, scope(input, variables));
}

const V = '$.v';

describe('string comparisons', () => {
  it('compares strings lexicographically', () => {
    expect(rule({ Variable: V, StringEquals: 'Hello' }, { v: 'Hello' })).toBe(true);
    expect(rule({ Variable: V, StringLessThan: 'AB' }, { v: 'A' })).toBe(true);
    expect(rule({ Variable: V, StringGreaterThan: 'ABC' }, { v: 'AB' })).toBe(false);
    expect(rule({ Variable: V, StringGreaterThanEquals: '' }, { v: '' })).toBe(true);
    expect(rule({ Variable: V, StringLessThanEquals: 'A' }, { v: 'AB' })).toBe(false);
  });
  it('is false for non-string values', () => {
    for (const v of [0, 1.1, true, null, [], {}, ['HelloWorld']]) {
      expect(rule({ Variable: V, StringEquals: 'HelloWorld' }, { v })).toBe(false);
    }
  });
  it('Path variants read the other operand', () => {
    expect(rule({ Variable: V, StringEqualsPath: '$.w' }, { v: 'a', w: 'a' })).toBe(true);
    expect(rule({ Variable: V, StringEqualsPath: '$.w' }, { v: '\t\n', w: '\t\r\n' })).toBe(false);
    expect(rule({ Variable: V, StringEqualsPath: '$$.Execution.Input.w' }, { v: 'a', w: 'a' })).toBe(true);
    expect(rule({ Variable: V, StringEqualsPath: '$other' }, { v: 'a' }, { other: 'a' })).toBe(true);
  });
});

describe('StringMatches', () => {
  it('supports * wildcards', () => {
    expect(stringMatches('log-2024.txt', 'log-*.txt')).toBe(true);
    expect(stringMatches('log-2024.csv', 'log-*.txt')).toBe(false);
    expect(stringMatches('anything', '*')).toBe(true);
    expect(stringMatches('', '*')).toBe(true);
    expect(stringMatches('a.b', 'a.b')).toBe(true);
    expect(stringMatches('axb', 'a.b')).toBe(false);
  });
  it('supports escaped stars and backslashes', () => {
    expect(stringMatches('a*b', 'a\\*b')).toBe(true);
    expect(stringMatches('axb', 'a\\*b')).toBe(false);
    expect(stringMatches('a\\b', 'a\\\\b')).toBe(true);
  });
  it('works as a choice rule', () => {
    expect(rule({ Variable: V, StringMatches: '*.log' }, { v: 'x.log' })).toBe(true);
    expect(rule({ Variable: V, StringMatches: '*.log' }, { v: 5 })).toBe(false);
  });
});

describe('numeric comparisons', () => {
  it('compares numbers, integers equal to floats', () => {
    expect(rule({ Variable: V, NumericEquals: 1.0 }, { v: 1 })).toBe(true);
    expect(rule({ Variable: V, NumericEquals: 2.22 }, { v: 2.22 })).toBe(true);
    expect(rule({ Variable: V, NumericLessThan: 30 }, { v: 22 })).toBe(true);
    expect(rule({ Variable: V, NumericGreaterThanEquals: 20 }, { v: 20 })).toBe(true);
    expect(rule({ Variable: V, NumericGreaterThan: 20 }, { v: 20 })).toBe(false);
    expect(rule({ Variable: V, NumericLessThanEquals: 0 }, { v: -1 })).toBe(true);
  });
  it('is false for non-numbers, including numeric strings and booleans', () => {
    for (const v of ['', '1', true, false, null, [], [1], {}]) {
      expect(rule({ Variable: V, NumericEquals: 1 }, { v })).toBe(false);
    }
  });
  it('Path variants are false when the other operand is not a number', () => {
    expect(rule({ Variable: V, NumericEqualsPath: '$.w' }, { v: 1, w: '1' })).toBe(false);
    expect(rule({ Variable: V, NumericLessThanPath: '$.w' }, { v: 1, w: 2 })).toBe(true);
  });
});

describe('boolean comparisons', () => {
  it('matches booleans only', () => {
    expect(rule({ Variable: V, BooleanEquals: true }, { v: true })).toBe(true);
    expect(rule({ Variable: V, BooleanEquals: false }, { v: false })).toBe(true);
    expect(rule({ Variable: V, BooleanEquals: true }, { v: 'true' })).toBe(false);
    expect(rule({ Variable: V, BooleanEquals: false }, { v: 0 })).toBe(false);
    expect(rule({ Variable: V, BooleanEqualsPath: '$.w' }, { v: true, w: true })).toBe(true);
    expect(rule({ Variable: V, BooleanEqualsPath: '$.w' }, { v: 1, w: false })).toBe(false);
  });
});

describe('timestamps', () => {
  it('parses RFC 3339 timestamps as AWS does', () => {
    expect(parseTimestamp('2012-10-09T19:00:55Z')).not.toBeNull();
    expect(parseTimestamp('2012-10-09T19:00:55+01:00')).not.toBeNull();
    expect(parseTimestamp('2016-03-14T01:59:00.123456789Z')).not.toBeNull();
    expect(parseTimestamp('2012-10-09T19:00:55')).toBeNull();
    expect(parseTimestamp('2023-02-24')).toBeNull();
    expect(parseTimestamp('2023-02-24 12:15:56.832957')).toBeNull();
    expect(parseTimestamp('2012-10-09t19:00:55z')).toBeNull();
    expect(parseTimestamp('2012-13-09T19:00:55Z')).toBeNull();
  });
  it('compares instants across offsets and fractions', () => {
    expect(rule({ Variable: V, TimestampEquals: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T20:00:55+01:00' })).toBe(true);
    expect(rule({ Variable: V, TimestampLessThan: '2012-10-09T19:00:56Z' }, { v: '2012-10-09T19:00:55Z' })).toBe(true);
    expect(rule({ Variable: V, TimestampGreaterThan: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T19:00:55.001Z' })).toBe(true);
    expect(rule({ Variable: V, TimestampGreaterThanEquals: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T19:00:55Z' })).toBe(true);
    expect(rule({ Variable: V, TimestampLessThanEquals: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T19:00:56Z' })).toBe(false);
    expect(rule({ Variable: V, TimestampEqualsPath: '$.w' }, { v: '2012-10-09T19:00:55Z', w: '2012-10-09T19:00:55Z' })).toBe(true);
  });
  it('is false for values that are not timestamps', () => {
    for (const v of [null, 0, '', ' ', '2023-02-24 12:15:56.832957', [], [''], {}, true]) {
      expect(rule({ Variable: V, TimestampEquals: '2012-10-09T19:00:55Z' }, { v })).toBe(false);
    }
  });
});

describe('type tests', () => {
  it('IsNull / IsNumeric / IsString / IsBoolean / IsTimestamp', () => {
    expect(rule({ Variable: V, IsNull: true }, { v: null })).toBe(true);
    expect(rule({ Variable: V, IsNull: false }, { v: 0 })).toBe(true);
    expect(rule({ Variable: V, IsNumeric: true }, { v: 1.1 })).toBe(true);
    expect(rule({ Variable: V, IsNumeric: true }, { v: '1' })).toBe(false);
    expect(rule({ Variable: V, IsString: true }, { v: '' })).toBe(true);
    expect(rule({ Variable: V, IsString: true }, { v: [''] })).toBe(false);
    expect(rule({ Variable: V, IsBoolean: true }, { v: false })).toBe(true);
    expect(rule({ Variable: V, IsBoolean: true }, { v: 'true' })).toBe(false);
    expect(rule({ Variable: V, IsTimestamp: true }, { v: '2012-10-09T19:00:55Z' })).toBe(true);
    expect(rule({ Variable: V, IsTimestamp: true }, { v: '2012-10-09T19:00:55' })).toBe(false);
    expect(rule({ Variable: V, IsTimestamp: false }, { v: 5 })).toBe(true);
  });
  it('IsPresent never fails on a missing path', () => {
    expect(rule({ Variable: V, IsPresent: true }, { v: null })).toBe(true);
    expect(rule({ Variable: V, IsPresent: false }, {})).toBe(true);
    expect(rule({ Variable: '$.a.b.c', IsPresent: true }, { a: 1 })).toBe(false);
    expect(rule({ Variable: '$nope', IsPresent: false }, {})).toBe(true);
    expect(rule({ Variable: '$yes', IsPresent: true }, {}, { yes: null })).toBe(true);
    expect(rule({ Variable: '$$.Execution.Input.v', IsPresent: true }, { v: 1 })).toBe(true);
  });
});

describe('missing variables', () => {
  it('fail with States.Runtime for every operator but IsPresent', () => {
    for (const r of [
      { Variable: V, StringEquals: 'x' },
      { Variable: V, NumericEquals: 1 },
      { Variable: V, IsNull: true },
      { Variable: V, IsString: false },
      { Variable: '$undefinedVar', BooleanEquals: true },
    ]) {
      const e = errorOf(() => rule(r, {}));
      expect(e.error).toBe('States.Runtime');
      expect(e.cause).toContain("The choice state's condition path references an invalid value.");
    }
  });
  it('fails when the ...Path operand is missing', () => {
    expect(errorOf(() => rule({ Variable: V, NumericEqualsPath: '$.w' }, { v: 1 })).error).toBe('States.Runtime');
  });
});

describe('boolean combinators', () => {
  const input = { type: 'Private', value: 22 };
  it('And / Or / Not nest', () => {
    expect(rule({ Not: { Variable: '$.type', StringEquals: 'Private' } }, input)).toBe(false);
    expect(
      rule(
        {
          And: [
            { Variable: '$.value', NumericGreaterThanEquals: 20 },
            { Variable: '$.value', NumericLessThan: 30 },
          ],
        },
        input,
      ),
    ).toBe(true);
    expect(
      rule(
        {
          Or: [
            { Variable: '$.value', NumericEquals: 0 },
            { Not: { Variable: '$.type', StringEquals: 'Public' } },
          ],
        },
        input,
      ),
    ).toBe(true);
  });
  it('short-circuits like AWS: later rules are not evaluated', () => {
    expect(rule({ Or: [{ Variable: '$.value', NumericEquals: 22 }, { Variable: '$.missing', NumericEquals: 1 }] }, input)).toBe(true);
    expect(rule({ And: [{ Variable: '$.value', NumericEquals: 0 }, { Variable: '$.missing', NumericEquals: 1 }] }, input)).toBe(false);
  });
  it('reads variables and the context object', () => {
    expect(rule({ Variable: '$count', NumericGreaterThan: 2 }, {}, { count: 3 })).toBe(true);
    expect(rule({ Variable: '$$.Execution.Input.type', StringEquals: 'Private' }, input)).toBe(true);
  });
});
