/**
 * Matching a compiled pattern against an event.
 *
 * The event is flattened the way AWS flattens it: every leaf (string, number, boolean, null) is
 * keyed by its path, the object keys joined with `.` (so `{"a.b": 1}` and `{"a": {"b": 1}}` are
 * the same field), and an array contributes each of its elements at the array's own path. An
 * object, an empty array or an empty object is not a leaf: operators "only work on leaf nodes".
 *
 * Each leaf remembers which element of which array it came from. Two pattern fields must be
 * satisfied by leaves from the same element of any array they share (AWS's "array
 * consistency"), so matching is a small backtracking search rather than a per-field test.
 */
import { inBlock, parseIp } from './ip';
import type { Alternative, CompiledPattern, Matcher, Scalar } from './types';
import { wildcardMatches } from './wildcard';

interface Leaf {
  value: Scalar;
  /** (array id, element index) for every array between the root and this leaf. */
  trail: ReadonlyArray<readonly [number, number]>;
}

export type FlatEvent = Map<string, Leaf[]>;

export function flattenEvent(event: unknown): FlatEvent {
  const flat: FlatEvent = new Map();
  let nextArrayId = 0;
  const visit = (value: unknown, path: string, trail: ReadonlyArray<readonly [number, number]>): void => {
    if (Array.isArray(value)) {
      const id = nextArrayId++;
      value.forEach((element, index) => visit(element, path, [...trail, [id, index]]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) visit(child, path === '' ? key : `${path}.${key}`, trail);
    } else if (path !== '') {
      let leaves = flat.get(path);
      if (!leaves) flat.set(path, (leaves = []));
      leaves.push({ value: value as Scalar, trail });
    }
  };
  visit(event, '', []);
  return flat;
}

export function matchCompiled(pattern: CompiledPattern, event: FlatEvent): boolean {
  return pattern.alternatives.some((alternative) => matchAlternative(alternative, event));
}

function consistent(a: Leaf, b: Leaf): boolean {
  for (const [idA, indexA] of a.trail) {
    for (const [idB, indexB] of b.trail) {
      if (idA === idB && indexA !== indexB) return false;
    }
  }
  return true;
}

function allowsAbsence(matchers: Matcher[]): boolean {
  return matchers.some((m) => m.kind === 'exists' && !m.exists);
}

function matchAlternative(alternative: Alternative, event: FlatEvent): boolean {
  // Fields that can be satisfied by absence go last, so absence is judged against the array
  // elements the other fields already settled on.
  const fields = [...alternative.entries()].sort((a, b) => Number(allowsAbsence(a[1])) - Number(allowsAbsence(b[1])));
  const chosen: Leaf[] = [];
  const search = (i: number): boolean => {
    if (i === fields.length) return true;
    const [path, matchers] = fields[i];
    const candidates = (event.get(path) ?? []).filter((leaf) => chosen.every((c) => consistent(leaf, c)));
    for (const leaf of candidates) {
      if (!matchers.some((m) => matchesLeaf(m, leaf.value))) continue;
      chosen.push(leaf);
      if (search(i + 1)) return true;
      chosen.pop();
    }
    return candidates.length === 0 && allowsAbsence(matchers) && search(i + 1);
  };
  return search(0);
}

/** Whether one matcher accepts one leaf value that is present in the event. */
export function matchesLeaf(m: Matcher, value: Scalar): boolean {
  switch (m.kind) {
    case 'exact':
      return value === m.value;
    case 'exists':
      return m.exists;
    case 'anything-but':
      return !m.excluded.some((x) => matchesLeaf(x, value));
    case 'numeric':
      return typeof value === 'number' && m.conditions.every((c) => compare(value, c.op, c.value));
    default:
      // Every remaining operator reads a string: AWS matches them against the quoted form of
      // the value, which a number, boolean or null never has.
      return typeof value === 'string' && matchesString(m, value);
  }
}

function matchesString(m: Matcher, value: string): boolean {
  switch (m.kind) {
    case 'prefix':
      return m.ignoreCase ? value.toLowerCase().startsWith(m.value.toLowerCase()) : value.startsWith(m.value);
    case 'suffix':
      return m.ignoreCase ? value.toLowerCase().endsWith(m.value.toLowerCase()) : value.endsWith(m.value);
    case 'equals-ignore-case':
      return value.toLowerCase() === m.value.toLowerCase() || value.toUpperCase() === m.value.toUpperCase();
    case 'wildcard':
      return wildcardMatches(m.tokens, value);
    case 'cidr': {
      const ip = parseIp(value);
      return ip !== undefined && inBlock(ip, m.block);
    }
    default:
      return false;
  }
}

function compare(value: number, op: string, bound: number): boolean {
  switch (op) {
    case '=':
      return value === bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    default:
      return value >= bound;
  }
}
