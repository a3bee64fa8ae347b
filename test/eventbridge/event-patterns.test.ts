import { matchesEventPattern, validateEventPattern, testEventPattern, EventBridgeError } from '../../local/eventbridge';

const envelope = {
  id: '1',
  source: 'test-source',
  'detail-type': 'test-detail-type',
  account: '123456789012',
  region: 'us-east-2',
  time: '2022-07-13T13:48:01Z',
};

const match = (pattern: object, fields: object) => matchesEventPattern(pattern, { ...envelope, ...fields });

function reason(pattern: string | object): string {
  try {
    validateEventPattern(pattern);
  } catch (e) {
    expect(e).toBeInstanceOf(EventBridgeError);
    expect((e as Error).name).toBe('InvalidEventPatternException');
    return (e as Error).message.replace('Event pattern is not valid. Reason: ', '');
  }
  throw new Error('pattern was accepted');
}

describe('a pattern matches exact values', () => {
  test('strings, numbers compared numerically, booleans and null', () => {
    expect(match({ detail: { a: ['x'] } }, { detail: { a: 'x' } })).toBe(true);
    expect(match({ n: [300] }, { n: 300.0 })).toBe(true);
    expect(match({ n: [300] }, { n: '300' })).toBe(false);
    expect(match({ b: [false] }, { b: false })).toBe(true);
    expect(match({ b: [false] }, { b: 'false' })).toBe(false);
    expect(match({ v: [null] }, { v: null })).toBe(true);
    expect(match({ v: [null] }, { v: 'null' })).toBe(false);
    expect(match({ v: [''] }, { v: '' })).toBe(true);
  });

  test('keys are case sensitive and a missing field never matches a value', () => {
    expect(match({ MY_KEY: ['v'] }, { my_key: 'v' })).toBe(false);
    expect(match({ detail: { a: ['x'] } }, {})).toBe(false);
  });

  test('an event array matches when any element does; an empty array has no values', () => {
    expect(match({ resources: ['b', 'z'] }, { resources: ['a', 'b'] })).toBe(true);
    expect(match({ resources: ['z'] }, { resources: ['a', 'b'] })).toBe(false);
    expect(match({ resources: [null] }, { resources: [] })).toBe(false);
    expect(match({ resources: [{ exists: true }] }, { resources: [] })).toBe(false);
  });

  test('dotted keys and nested objects name the same field', () => {
    expect(match({ detail: { 'state.status': ['running'] } }, { detail: { state: { status: 'running' } } })).toBe(true);
    expect(match({ detail: { state: { status: ['running'] } } }, { detail: { 'state.status': 'running' } })).toBe(true);
    expect(match({ detail: { state: { status: ['running'] } } }, { detail: { 'state.status': { status: 'running' } } })).toBe(false);
  });

  test('a JSON string in the event is a string, not an object', () => {
    expect(match({ detail: { k: ['v'] } }, { detail: '{"k": "v"}' })).toBe(false);
  });

  test('fields matched inside an array of objects must come from the same element', () => {
    const event = { detail: { items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }] } };
    expect(match({ detail: { items: { sku: ['a'], qty: [1] } } }, event)).toBe(true);
    expect(match({ detail: { items: { sku: ['a'], qty: [2] } } }, event)).toBe(false);
    expect(match({ detail: { items: { id: [{ exists: true }] } } }, { detail: { items: [{ k: 1 }, { id: 'x' }] } })).toBe(true);
  });
});

describe('content filters', () => {
  test('prefix and suffix, with equals-ignore-case, only on strings', () => {
    expect(match({ time: [{ prefix: '2022-07-13' }] }, {})).toBe(true);
    expect(match({ source: [{ prefix: '' }] }, {})).toBe(true);
    expect(match({ n: [{ prefix: '1' }] }, { n: 12 })).toBe(false);
    expect(match({ s: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, { s: 'eVeNtBridge' })).toBe(true);
    expect(match({ f: [{ suffix: '.png' }] }, { f: 'a.png' })).toBe(true);
    expect(match({ f: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { f: 'a.PNG' })).toBe(true);
    expect(match({ f: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { f: 'a.jpg' })).toBe(false);
  });

  test('equals-ignore-case', () => {
    expect(match({ 'detail-type': [{ 'equals-ignore-case': 'TEST-detail-type' }] }, {})).toBe(true);
    expect(match({ v: [{ 'equals-ignore-case': '' }] }, { v: '' })).toBe(true);
    expect(match({ v: [{ 'equals-ignore-case': '' }] }, { v: 'x' })).toBe(false);
  });

  test('anything-but: values, lists, prefix, suffix, equals-ignore-case, wildcard', () => {
    expect(match({ s: [{ 'anything-but': 'init' }] }, { s: 'run' })).toBe(true);
    expect(match({ s: [{ 'anything-but': 'init' }] }, { s: 'init' })).toBe(false);
    expect(match({ s: [{ 'anything-but': 'init' }] }, { s: null })).toBe(true);
    expect(match({ s: [{ 'anything-but': 'init' }] }, {})).toBe(false);
    expect(match({ n: [{ 'anything-but': [100, 200] }] }, { n: 100 })).toBe(false);
    expect(match({ n: [{ 'anything-but': 0 }] }, { n: 5 })).toBe(true);
    expect(match({ s: [{ 'anything-but': { prefix: 'init' } }] }, { s: 'post-init' })).toBe(true);
    expect(match({ s: [{ 'anything-but': { prefix: ['init', 'post'] } }] }, { s: 'post-init' })).toBe(false);
    expect(match({ s: [{ 'anything-but': { prefix: 'init' } }] }, { s: 12 })).toBe(true);
    expect(match({ f: [{ 'anything-but': { suffix: ['.txt', '.jpg'] } }] }, { f: 'a.txt.bak' })).toBe(true);
    expect(match({ s: [{ 'anything-but': { 'equals-ignore-case': ['STOPPED'] } }] }, { s: 'stopped' })).toBe(false);
    expect(match({ p: [{ 'anything-but': { wildcard: '*/init/*' } }] }, { p: 'dir/init/file' })).toBe(false);
    expect(match({ p: [{ 'anything-but': { wildcard: '' } }] }, { p: 'dir/init/file' })).toBe(true);
  });

  test('numeric ranges, only on numbers', () => {
    const range = { n: [{ numeric: ['>', 0, '<=', 5] }] };
    expect(match(range, { n: 5 })).toBe(true);
    expect(match(range, { n: 0 })).toBe(false);
    expect(match(range, { n: '3' })).toBe(false);
    expect(match(range, { n: null })).toBe(false);
    expect(match({ n: [{ numeric: ['=', 301.8] }] }, { n: 301.8 })).toBe(true);
    expect(match({ n: [{ numeric: ['>=', 200, '<', 500] }] }, { n: 500 })).toBe(false);
  });

  test('exists applies to leaves: an object is not a leaf, null is', () => {
    expect(match({ d: { k: [{ exists: true }] } }, { d: { k: 'v' } })).toBe(true);
    expect(match({ d: { k: [{ exists: true }] } }, { d: { k: null } })).toBe(true);
    expect(match({ d: { k: [{ exists: true }] } }, { d: { k: { S: 'x' } } })).toBe(false);
    expect(match({ d: { k: [{ exists: false }] } }, { d: { other: 1 } })).toBe(true);
    expect(match({ d: { a: { b: [{ exists: false }] } } }, { d: { a: { b: 'x' } } })).toBe(false);
    expect(match({ d: { state: [{ exists: false }] } }, { d: 'a string' })).toBe(true);
  });

  test('several filters on one field are alternatives', () => {
    const pattern = { h: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } };
    expect(match(pattern, { h: { N: '1' } })).toBe(true);
    expect(match(pattern, { h: { S: 'tulips' } })).toBe(true);
    expect(match(pattern, { h: { S: 'roses' } })).toBe(false);
    expect(match({ N: [{ numeric: ['>', 100] }, { 'anything-but': '101' }] }, { N: '42' })).toBe(true);
  });

  test('wildcard: * matches any run, escapes are literal', () => {
    expect(match({ a: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { a: 'arn:aws:events:us-east-1:123:event-bus/b' })).toBe(true);
    expect(match({ f: [{ wildcard: '/Users/*/doc.txt' }] }, { f: '/Users/u/d/d/doc.txt' })).toBe(true);
    expect(match({ f: [{ wildcard: '/Users/*/dir/doc.txt' }] }, { f: '/Users/u/other/doc.txt' })).toBe(false);
    expect(match({ f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' })).toBe(true);
    expect(match({ f: [{ wildcard: 'a\\*b' }] }, { f: 'axb' })).toBe(false);
    expect(match({ f: [{ wildcard: 'a*' }] }, { f: 'a' })).toBe(true);
  });

  test('cidr for IPv4 and IPv6, only on address strings', () => {
    expect(match({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.0.255' })).toBe(true);
    expect(match({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.1.0' })).toBe(false);
    expect(match({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.0.256' })).toBe(false);
    expect(match({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: 123 })).toBe(false);
    expect(match({ ip: [{ cidr: '2001:db8:1234:1a00::/64' }] }, { ip: '2001:db8:1234:1a00::1' })).toBe(true);
    expect(match({ ip: [{ cidr: '2001:db8:1234:1a00::/64' }] }, { ip: '2001:0db8:123f:1a01:0000:0000:0000:0000' })).toBe(false);
  });

  test('$or matches when any branch matches', () => {
    const pattern = { detail: { $or: [{ c: [{ numeric: ['>', 0] }] }, { d: [{ numeric: ['<', 10] }] }] } };
    expect(match(pattern, { detail: { c: 0, d: 0 } })).toBe(true);
    expect(match(pattern, { detail: { c: 0, d: 20 } })).toBe(false);
    expect(match({ source: ['x'], $or: [{ a: ['1'] }, { b: ['2'] }] }, { source: 'x', b: '2' })).toBe(true);
  });
});

describe('invalid patterns are refused with AWS messages', () => {
  test.each([
    [{ int: 42 }, '"int" must be an object or an array'],
    [{ resources: [] }, 'Empty arrays are not allowed'],
    [{ detail: {} }, 'Empty objects are not allowed'],
    [{ a: [{ NUMERIC: ['=', 5] }] }, 'Unrecognized match type NUMERIC'],
    [{ a: [{ EXISTS: true }] }, 'Unrecognized match type EXISTS'],
    [{ a: [{ exists: 'yes' }] }, 'exists match pattern must be either true or false.'],
    [{ a: [{ prefix: ['x'] }] }, 'prefix match pattern must be a string'],
    [{ a: [{ suffix: 1 }] }, 'suffix match pattern must be a string'],
    [{ a: [{ 'equals-ignore-case': ['x'] }] }, 'equals-ignore-case match pattern must be a string'],
    [{ a: [{ numeric: ['>', 0, '>', 0] }] }, 'Bad numeric range operator: >'],
    [{ a: [{ numeric: ['>', 0, '<'] }] }, 'Value of < must be numeric'],
    [{ a: [{ numeric: ['>', 5, '<', 1] }] }, 'Bottom must be less than top'],
    [{ a: [{ numeric: ['<', 5, '>', 1] }] }, 'Too many elements in numeric expression'],
    [{ a: [{ numeric: ['~', 5] }] }, 'Unrecognized numeric range operator: ~'],
    [{ a: [{ 'anything-but': null }] }, 'Value of anything-but must be an array or single string/number value.'],
    [{ a: [{ 'anything-but': ['x', null] }] }, 'Inside anything but list, start|null|boolean is not supported.'],
    [{ a: [{ 'anything-but': ['x', 1] }] }, 'Inside anything but list, either all values are number or string, mixed type is not supported'],
    [{ a: [{ 'anything-but': { prefix: '' } }] }, 'Null prefix/suffix not allowed'],
    [{ a: [{ 'anything-but': { suffix: [null] } }] }, 'prefix/suffix match pattern must be a string'],
    [{ a: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'x' } } }] }, 'Value of anything-but must be an array or single string/number value.'],
    [{ a: [{ 'anything-but': { 'equals-ignore-case': 1 } }] }, 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
    [{ a: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'Unsupported anything-but pattern: numeric'],
    [{ a: [{ wildcard: 1 }] }, 'wildcard match pattern must be a string'],
    [{ a: [{ wildcard: 'arn:aws:events:us-east-1:**:event-bus/*' }] }, 'Consecutive wildcard characters at pos 26'],
    [{ a: [{ wildcard: '*:*:*:*:*:event-bus/*' }] }, 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character'],
    [{ a: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required"],
    [{ a: [{ cidr: 'bad-/64filter' }] }, 'Malformed CIDR, mask bits must be an integer'],
    [{ a: [{ cidr: 'xx.11.xx/8' }] }, 'Nonstandard IP address: xx.11.xx'],
    [{ a: [{ cidr: ['10.0.0.0/8'] }] }, 'prefix match pattern must be a string'],
    [{ a: [['nested']] }, 'Match value must be String, number, true, false, or null'],
    [{ a: [{ prefix: 'x', suffix: 'y' }] }, 'Only one key allowed in match expression'],
  ])('%j', (pattern, expected) => {
    expect(reason(pattern)).toBe(expected);
  });

  test('bad JSON is reported as Jackson words it', () => {
    expect(reason('{"not": closed mark"')).toBe(
      `Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)"{"not": closed mark""; line: 1, column: 15]`,
    );
    expect(reason("{'bad': 'quotation'}")).toMatch(/^Unexpected character \(''' \(code 39\)\): was expecting double-quote to start field name/);
    expect(reason('["not", "an object"]')).toMatch(/^Filter is not an object/);
  });

  test('$or needs an array of at least two objects, otherwise it is read as a field name', () => {
    expect(reason({ $or: [{ a: ['1'] }] })).toBe('Unrecognized match type a');
    expect(() => validateEventPattern({ $or: [{ a: ['1'] }, { b: ['2'] }] })).not.toThrow();
  });
});

describe('TestEventPattern', () => {
  const event = JSON.stringify({ ...envelope, detail: { a: 1 } });

  test('answers Result for a valid pattern and event', () => {
    expect(testEventPattern({ Event: event, EventPattern: '{"detail":{"a":[1]}}' })).toEqual({ Result: true });
    expect(testEventPattern({ Event: event, EventPattern: '{"detail":{"a":[2]}}' })).toEqual({ Result: false });
  });

  test('refuses an event missing an envelope field or not JSON with ValidationException', () => {
    const missing = JSON.stringify({ ...envelope, time: undefined });
    for (const Event of [missing, 'plain string', '[1]']) {
      expect(() => testEventPattern({ Event, EventPattern: '{"source":["x"]}' })).toThrow(
        expect.objectContaining({ name: 'ValidationException', message: 'Parameter Event is not valid.' }),
      );
    }
  });

  test('validates the pattern before the event', () => {
    expect(() => testEventPattern({ Event: 'nope', EventPattern: '{"a": 1}' })).toThrow(
      expect.objectContaining({ name: 'InvalidEventPatternException' }),
    );
  });
});
