/**
 * The `wildcard` operator: `*` matches any run of characters (including none); `\*` is a literal
 * asterisk and `\\` a literal backslash. Matching is the classic two-pointer glob walk, linear in
 * practice and immune to the catastrophic backtracking a `.*` regex chain has on long misses.
 */

export type WildcardToken = { star: true } | { star: false; char: string };

/** Why a wildcard operand is refused, worded as AWS words it; `undefined` when it is fine. */
export function wildcardFault(operand: string): string | undefined {
  for (let i = 0; i < operand.length; i++) {
    const c = operand[i];
    if (c === '\\') {
      const next = operand[i + 1];
      if (next !== '*' && next !== '\\') return `Invalid escape character at pos ${position(operand, i)}`;
      i++;
    } else if (c === '*' && operand[i + 1] === '*') {
      return `Consecutive wildcard characters at pos ${position(operand, i)}`;
    }
  }
  // AWS bounds the matching cost of a wildcard rule. Its exact measure is internal; past five
  // wildcards in one operand it refuses, which is the limit observed on the service.
  if (tokenize(operand).filter((t) => t.star).length > 5) {
    return 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';
  }
  return undefined;
}

/**
 * AWS reports the position as a 1-based offset, in UTF-8 bytes, into the operand as it was quoted
 * in the JSON text (the opening quote being offset 0).
 */
function position(operand: string, index: number): number {
  return Buffer.byteLength(operand.slice(0, index), 'utf8') + 1;
}

export function tokenize(operand: string): WildcardToken[] {
  const tokens: WildcardToken[] = [];
  for (let i = 0; i < operand.length; i++) {
    const c = operand[i];
    if (c === '\\' && (operand[i + 1] === '*' || operand[i + 1] === '\\')) {
      tokens.push({ star: false, char: operand[++i] });
    } else if (c === '*') {
      tokens.push({ star: true });
    } else {
      tokens.push({ star: false, char: c });
    }
  }
  return tokens;
}

export function wildcardMatches(tokens: WildcardToken[], value: string): boolean {
  let t = 0;
  let v = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (v < value.length) {
    const token = tokens[t];
    if (token && !token.star && token.char === value[v]) {
      t++;
      v++;
    } else if (token && token.star) {
      starAt = t++;
      resumeAt = v;
    } else if (starAt >= 0) {
      t = starAt + 1;
      v = ++resumeAt;
    } else {
      return false;
    }
  }
  while (t < tokens.length && tokens[t].star) t++;
  return t === tokens.length;
}
