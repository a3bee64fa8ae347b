/**
 * The JSONPath subset EventBridge evaluates in `InputPath` and `InputPathsMap`: `$`, dot
 * notation (names may hold dashes, underscores, slashes), `['name']`, array indices and `*`.
 * A path with a wildcard yields the list of everything it reaches.
 */

type Segment = { kind: 'key'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

export function parseJsonPath(path: string): Segment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const m = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!m) return undefined;
      segments.push(m[0] === '*' ? { kind: 'wildcard' } : { kind: 'key', name: m[0] });
      i += 1 + m[0].length;
    } else if (path[i] === '[') {
      const m = /^\[(?:(\d+)|\*|'([^']*)'|"([^"]*)")\]/.exec(path.slice(i));
      if (!m) return undefined;
      if (m[1] !== undefined) segments.push({ kind: 'index', index: Number(m[1]) });
      else if (m[2] !== undefined || m[3] !== undefined) segments.push({ kind: 'key', name: (m[2] ?? m[3]) as string });
      else segments.push({ kind: 'wildcard' });
      i += m[0].length;
    } else {
      return undefined;
    }
  }
  return segments;
}

export function isValidJsonPath(path: string): boolean {
  return parseJsonPath(path) !== undefined;
}

/** The value `path` reaches in `root`, or `undefined` when it reaches nothing. */
export function evaluateJsonPath(root: unknown, path: string): unknown {
  const segments = parseJsonPath(path);
  if (!segments) return undefined;
  let values: unknown[] = [root];
  let multiple = false;
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const v of values) {
      if (segment.kind === 'key') {
        if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, segment.name)) {
          next.push((v as Record<string, unknown>)[segment.name]);
        }
      } else if (segment.kind === 'index') {
        if (Array.isArray(v) && segment.index < v.length) next.push(v[segment.index]);
      } else {
        multiple = true;
        if (Array.isArray(v)) next.push(...v);
        else if (typeof v === 'object' && v !== null) next.push(...Object.values(v));
      }
    }
    values = next;
  }
  if (multiple) return values;
  return values.length > 0 ? values[0] : undefined;
}
