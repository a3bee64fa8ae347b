/**
 * AWS-recorded TestEventPattern cases (see ../shared/conformance/README.md), each run through the
 * local `testEventPattern`. Missing envelope fields are filled with defaults except for `raw`
 * cases, which are sent exactly as recorded. The case file must exist: a missing file fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { testEventPattern } from '../../local/eventbridge';

interface Case {
  id: string;
  category: string;
  raw?: boolean;
  event: unknown;
  pattern: unknown;
  expected: { result?: boolean; error?: string; message?: string };
}

const dir = process.env.CONFORMANCE_DIR ?? path.resolve(__dirname, '../../../shared/conformance');
const file = path.join(dir, 'eventbridge-cases.json');
const cases: Case[] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).cases : [];

const ENVELOPE_DEFAULTS: Record<string, unknown> = {
  id: '1',
  account: '123456789012',
  source: 'test-source',
  time: '2022-07-13T13:48:01Z',
  region: 'us-east-1',
  'detail-type': 'test-detail-type',
  resources: [],
};

function request(c: Case): { Event: string; EventPattern: string } {
  if (c.raw) return { Event: c.event as string, EventPattern: c.pattern as string };
  const event = { ...ENVELOPE_DEFAULTS, ...(c.event as object) };
  return { Event: JSON.stringify(event), EventPattern: JSON.stringify(c.pattern) };
}

/** The outcome in the recorded form: `{ result }` or `{ error }`. */
function run(c: Case): { result?: boolean; error?: string; message?: string } {
  try {
    return { result: testEventPattern(request(c)).Result };
  } catch (e) {
    const err = e as Error;
    return { error: err.name, message: err.message };
  }
}

const tally = new Map<string, { pass: number; total: number }>();

describe('EventBridge conformance (TestEventPattern)', () => {
  test('the case file is present', () => {
    expect(fs.existsSync(file)).toBe(true);
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    test(`[${c.category}] ${c.id}`, () => {
      const actual = run(c);
      const expected = c.expected.error !== undefined ? { error: c.expected.error } : { result: c.expected.result };
      const got = c.expected.error !== undefined ? { error: actual.error } : { result: actual.result, error: actual.error };
      const pass = JSON.stringify(got) === JSON.stringify(expected);
      const t = tally.get(c.category) ?? { pass: 0, total: 0 };
      t.total++;
      if (pass) t.pass++;
      tally.set(c.category, t);
      expect(got).toEqual(expected);
    });
  }

  afterAll(() => {
    const lines = [...tally.entries()].sort().map(([k, v]) => `  ${k}: ${v.pass}/${v.total}`);
    const pass = [...tally.values()].reduce((n, v) => n + v.pass, 0);
    console.log(`EventBridge conformance: ${pass}/${cases.length} passed\n${lines.join('\n')}`);
  });
});
