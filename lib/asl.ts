/**
 * Reading an ASL file for what the CDK must provide: the `${...}` placeholders that
 * DefinitionSubstitutions fill, and the service integrations its Task states call (to grant them).
 */

/** Names of the `${Name}` placeholders in an ASL text, sorted, each once. */
export function placeholdersOf(aslText: string): string[] {
  const names = new Set<string>();
  for (const match of aslText.matchAll(/\$\{([^}]*)\}/g)) names.add(match[1]);
  return [...names].sort();
}

/** A Task state and the `Resource` it calls. */
export interface TaskResource {
  readonly state: string;
  readonly resource: string;
}

/** Every Task state's `Resource`, including those inside Parallel branches and Map processors. */
export function taskResourcesOf(definition: unknown): TaskResource[] {
  const found: TaskResource[] = [];
  const visitStates = (states: unknown) => {
    if (!states || typeof states !== 'object') return;
    for (const [name, state] of Object.entries(states as Record<string, Record<string, unknown>>)) {
      if (state.Type === 'Task' && typeof state.Resource === 'string') found.push({ state: name, resource: state.Resource });
      for (const branch of (state.Branches as Array<{ States?: unknown }> | undefined) ?? []) visitStates(branch.States);
      visitStates((state.ItemProcessor as { States?: unknown } | undefined)?.States);
      visitStates((state.Iterator as { States?: unknown } | undefined)?.States);
    }
  };
  visitStates((definition as { States?: unknown } | null)?.States);
  return found;
}

/** The integration a Task resource names, e.g. `lambda:invoke` for `arn:aws:states:::lambda:invoke.waitForTaskToken`. */
export function integrationOf(resource: string): { service: string; action: string; pattern?: string } | undefined {
  const m = /^arn:aws:states:::(?:aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)(?:\.(sync|waitForTaskToken)(?::2)?)?$/.exec(resource);
  return m ? { service: m[1], action: m[2], pattern: m[3] } : undefined;
}
