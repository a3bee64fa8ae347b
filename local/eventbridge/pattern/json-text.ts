/**
 * Parsing the JSON text of an event pattern.
 *
 * The value comes from `JSON.parse` (so what is accepted is exactly JSON). When that fails, a
 * small scanner finds the first fault and words it the way AWS does: EventBridge parses patterns
 * with Jackson and returns Jackson's message verbatim, location suffix included, e.g.
 * `Unrecognized token 'closed': was expecting (...)\n at [Source: (String)"..."; line: 1, column: 15]`.
 * Callers only need the error *code* to be right; the wording is a courtesy to people reading logs.
 */

const EXPECTED_VALUE = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

export class JsonTextError extends Error {}

/** Parse `text` or throw a `JsonTextError` whose message mimics Jackson's. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new JsonTextError(describeJsonFault(text));
  }
}

function location(text: string, index: number): string {
  let line = 1;
  let column = 1;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return `\n at [Source: (String)"${text}"; line: ${line}, column: ${column}]`;
}

function charName(c: string): string {
  return `'${c}' (code ${c.charCodeAt(0)})`;
}

/** Walks the text as a recursive-descent JSON reader and reports the first fault. */
function describeJsonFault(text: string): string {
  let i = 0;
  const fail = (reason: string, at: number): never => {
    throw new JsonTextError(reason + location(text, at));
  };
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const endOfInput = (what: string, start: number): never =>
    fail(`Unexpected end-of-input: expected close marker for ${what} (start marker at [Source: (String)"${text}"; line: 1, column: ${start + 1}])`, i);

  const value = (): void => {
    ws();
    if (i >= text.length) fail(`Unexpected end-of-input: expected a value ${EXPECTED_VALUE}`, i);
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i])) i++;
      const token = text.slice(start, i);
      if (token === 'true' || token === 'false' || token === 'null') return;
      return fail(`Unrecognized token '${token}': was expecting ${EXPECTED_VALUE}`, i);
    }
    return fail(`Unexpected character (${charName(c)}): expected a valid value ${EXPECTED_VALUE}`, i + 1);
  };
  const string = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail(`Illegal unquoted character (CTRL-CHAR, code ${text.charCodeAt(i)}): has to be escaped using backslash to be included in string value`, i + 1);
      i++;
    }
    if (i >= text.length) fail('Unexpected end-of-input: was expecting closing quote for a string value', i);
    i++;
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) return fail(`Unexpected character (${charName(text[i + 1] ?? ' ')}) in numeric value`, i + 2);
    i += m[0].length;
  };
  const object = (): void => {
    const start = i++;
    ws();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (i >= text.length) endOfInput('Object', start);
      if (text[i] !== '"') fail(`Unexpected character (${charName(text[i])}): was expecting double-quote to start field name`, i + 1);
      string();
      ws();
      if (i >= text.length) endOfInput('Object', start);
      if (text[i] !== ':') fail(`Unexpected character (${charName(text[i])}): was expecting a colon to separate field name and value`, i + 1);
      i++;
      value();
      ws();
      if (i >= text.length) endOfInput('Object', start);
      if (text[i] === '}') {
        i++;
        return;
      }
      if (text[i] !== ',') fail(`Unexpected character (${charName(text[i])}): was expecting comma to separate Object entries`, i + 1);
      i++;
    }
  };
  const array = (): void => {
    const start = i++;
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      ws();
      if (i >= text.length) endOfInput('Array', start);
      if (text[i] === ']') {
        i++;
        return;
      }
      if (text[i] !== ',') fail(`Unexpected character (${charName(text[i])}): was expecting comma to separate Array entries`, i + 1);
      i++;
    }
  };

  try {
    value();
    ws();
    if (i < text.length) fail(`Unexpected character (${charName(text[i])}): expected end of input`, i + 1);
  } catch (e) {
    if (e instanceof JsonTextError) return e.message;
    throw e;
  }
  // JSON.parse refused something the scanner accepted (e.g. a lone surrogate edge case).
  return 'Filter is not valid JSON';
}
