/** What a JSONPath expression can see: `$` (input), `$$` (context object) and `$name` (variables). */
export interface Scope {
  input: unknown;
  context: unknown;
  variables: Record<string, unknown>;
}
