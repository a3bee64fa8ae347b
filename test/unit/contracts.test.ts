import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventDocs } from '../../lambdas/contracts/docs';
import { catalog, eventTypes, jsonSchemaOf, parseEvent } from '../../lambdas/contracts';
import { busEvent, orderReleased } from '../support/orders';

describe('event catalog', () => {
  it('accepts a valid order release in the common envelope', () => {
    const e = busEvent('OrderReleased', 'erp', orderReleased('O-1'));
    const parsed = parseEvent(e['detail-type'], e.source, e.detail);
    expect(parsed.ok).toBe(true);
  });

  it('names the field and the rule of an invalid payload', () => {
    const e = busEvent('OrderReleased', 'erp', { ...orderReleased('O-1'), lines: [{ lineNo: 1, sku: 'A', quantity: -3 }] });
    const parsed = parseEvent(e['detail-type'], e.source, e.detail);
    expect(parsed).toMatchObject({ ok: false, violation: { code: 'INVALID' } });
    expect(!parsed.ok && parsed.violation.reason).toContain('detail.data.lines.0.quantity: Too small');
  });

  it('refuses an unknown event type, an unknown version and a wrong source, each with its reason', () => {
    const e = busEvent('OrderReleased', 'erp', orderReleased('O-1'));
    expect(parseEvent('OrderTeleported', e.source, e.detail)).toMatchObject({ ok: false, violation: { code: 'UNKNOWN_TYPE' } });
    expect(parseEvent('OrderReleased', e.source, { ...e.detail, schemaVersion: '7' })).toMatchObject({
      ok: false,
      violation: { code: 'UNKNOWN_VERSION', reason: "detail.schemaVersion: version '7' of OrderReleased is unknown (known: 1)" },
    });
    expect(parseEvent('OrderReleased', 'logistics.carrier', e.detail)).toMatchObject({ ok: false, violation: { code: 'WRONG_SOURCE' } });
  });

  it('refuses an oversized detail', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => ({ lineNo: i + 1, sku: `SKU-${'X'.repeat(50)}-${i}`, quantity: 1, uom: 'EA' }));
    const e = busEvent('OrderReleased', 'erp', orderReleased('O-1', { lines }));
    expect(parseEvent('OrderReleased', e.source, e.detail)).toMatchObject({ ok: false, violation: { code: 'OVERSIZED' } });
  });

  it('refuses an event whose correlation id is not its order id', () => {
    const e = busEvent('OrderReleased', 'erp', orderReleased('O-1'));
    expect(parseEvent('OrderReleased', e.source, { ...e.detail, correlationId: 'O-2' })).toMatchObject({ ok: false, violation: { code: 'CORRELATION_MISMATCH' } });
  });

  it('publishes a JSON Schema for every event type, generated from the zod schema', () => {
    expect(eventTypes.length).toBeGreaterThanOrEqual(17);
    for (const type of eventTypes) {
      const schema = jsonSchemaOf(type);
      expect(schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['eventId', 'correlationId', 'occurredAt', 'data']) });
      expect(Object.keys(catalog[type].versions)).toContain('1');
    }
  });
});

describe('published event docs', () => {
  it('match the catalog (run `npm run events:docs` after changing a schema)', () => {
    for (const [file, content] of Object.entries(renderEventDocs())) {
      expect(readFileSync(join(__dirname, '../../docs/events', file), 'utf8')).toBe(content);
    }
  });
});
