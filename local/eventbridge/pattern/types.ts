/** The compiled form of an event pattern, shared by the compiler and the matcher. */

export type Scalar = string | number | boolean | null;

export type NumericOp = '=' | '<' | '<=' | '>' | '>=';

/** One alternative of a field's value list, ready to test against one leaf value of the event. */
export type Matcher =
  | { kind: 'exact'; value: Scalar }
  | { kind: 'exists'; exists: boolean }
  | { kind: 'prefix'; value: string; ignoreCase: boolean }
  | { kind: 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; tokens: import('./wildcard').WildcardToken[] }
  | { kind: 'numeric'; conditions: Array<{ op: NumericOp; value: number }> }
  | { kind: 'cidr'; block: import('./ip').CidrBlock }
  /** Matches a present leaf that none of `excluded` matches. */
  | { kind: 'anything-but'; excluded: Matcher[] };

/**
 * One `$or`-free alternative: flattened field path (keys joined with `.`, which is how AWS keys
 * both patterns and events) to the value list for that path. The pattern matches an event when
 * any alternative does.
 */
export type Alternative = Map<string, Matcher[]>;

export interface CompiledPattern {
  readonly alternatives: Alternative[];
  /** The pattern as parsed, for describing rules back to callers. */
  readonly source: Record<string, unknown>;
}
