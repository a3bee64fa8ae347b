import { renderInputTemplate, targetInput, evaluateJsonPath } from '../../local/eventbridge';

const event = {
  version: '0',
  id: 'e-1',
  'detail-type': 'OrderReleased',
  source: 'erp',
  account: '000000000000',
  time: '2024-05-01T10:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { orderId: 'o-1', qty: 3, lines: [{ sku: 'A' }, { sku: 'B' }], note: 'say "hi"' },
};
const context = { ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/r', ruleName: 'r', ingestionTime: Date.parse('2024-05-01T10:00:01Z') };
const paths = { id: '$.detail.orderId', qty: '$.detail.qty', lines: '$.detail.lines', note: '$.detail.note', missing: '$.detail.nope' };

describe('input transformer output', () => {
  test('JSON template: unquoted placeholders are JSON values, quoted ones are string contents', () => {
    const out = renderInputTemplate({ InputPathsMap: paths, InputTemplate: '{"order": <id>, "label": "order <id> x<qty>", "qty": <qty>, "lines": <lines>}' }, event, context);
    expect(JSON.parse(out)).toEqual({ order: 'o-1', label: 'order o-1 x3', qty: 3, lines: [{ sku: 'A' }, { sku: 'B' }] });
  });

  test('quotes inside a string value are escaped so the output stays JSON', () => {
    const out = renderInputTemplate({ InputPathsMap: paths, InputTemplate: '{"note": "<note>", "raw": <note>}' }, event, context);
    expect(JSON.parse(out)).toEqual({ note: 'say "hi"', raw: 'say "hi"' });
  });

  test('plain-text template takes strings as they are', () => {
    expect(renderInputTemplate({ InputPathsMap: paths, InputTemplate: 'Order <id> has <qty> units' }, event, context)).toBe('Order o-1 has 3 units');
    expect(renderInputTemplate({ InputPathsMap: paths, InputTemplate: '"Order <id> is \\"<qty>\\""' }, event, context)).toBe('"Order o-1 is \\"3\\""');
  });

  test('predefined variables', () => {
    const out = renderInputTemplate(
      {
        InputTemplate:
          '{"rule": "<aws.events.rule-name>", "arn": "<aws.events.rule-arn>", "at": "<aws.events.event.ingestion-time>", "env": <aws.events.event>, "all": <aws.events.event.json>}',
      },
      event,
      context,
    );
    const { detail: _d, ...envelope } = event;
    expect(JSON.parse(out)).toEqual({ rule: 'r', arn: context.ruleArn, at: '2024-05-01T10:00:01.000Z', env: envelope, all: event });
  });

  test('a path that reaches nothing is null outside a string and empty inside one; unknown placeholders stay', () => {
    const out = renderInputTemplate({ InputPathsMap: paths, InputTemplate: '{"a": <missing>, "b": "<missing>", "c": "<other>"}' }, event, context);
    expect(JSON.parse(out)).toEqual({ a: null, b: '', c: '<other>' });
  });

  test('Input, InputPath and the default whole event', () => {
    expect(targetInput({ Input: '{"k":1}' }, event, context)).toBe('{"k":1}');
    expect(JSON.parse(targetInput({ InputPath: '$.detail.lines[1]' }, event, context))).toEqual({ sku: 'B' });
    expect(JSON.parse(targetInput({}, event, context))).toEqual(event);
  });

  test('JSONPath subset: dots, indices, wildcards, bracketed names', () => {
    expect(evaluateJsonPath(event, '$.detail.lines[*].sku')).toEqual(['A', 'B']);
    expect(evaluateJsonPath(event, "$['detail-type']")).toBe('OrderReleased');
    expect(evaluateJsonPath(event, '$')).toEqual(event);
    expect(evaluateJsonPath(event, '$.nope.deeper')).toBeUndefined();
  });
});
