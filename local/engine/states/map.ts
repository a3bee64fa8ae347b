import { StatesError } from '../errors';
import { evaluateTemplate } from '../jsonata';
import { applyInputPath, readStatePath, applyTemplate, finishState, jsonataScope, transition, type StateOutcome, type StateRun } from './run';

function runtime(message: string): StatesError {
  return new StatesError('States.Runtime', message);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

interface MapLimits {
  maxConcurrency: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

async function limits(run: StateRun, effective: unknown): Promise<MapLimits> {
  const s = run.state;
  const field = async (name: string): Promise<unknown> => {
    if (s[name] === undefined) return undefined;
    return run.lang === 'JSONata' ? evaluateTemplate(s[name], jsonataScope(run), name) : s[name];
  };
  /**
   * A limit read by its Path field. AWS takes a number, or a string holding one (a variable
   * assigned `"1"` works as 1); anything else fails the state.
   */
  const fromPath = (name: string, integer: boolean): number | undefined => {
    const path = s[name] as string | undefined;
    if (path === undefined) return undefined;
    const raw = readStatePath(run, path, effective);
    const text = typeof raw === 'string' ? raw.trim() : undefined;
    const v = text !== undefined && (integer ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/).test(text) ? Number(text) : raw;
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      throw runtime(`The ${name} field refers to value ${JSON.stringify(raw)} which is not a valid ${integer ? 'integer' : 'float'}: ${path}`);
    }
    return v;
  };
  let maxConcurrency = (await field('MaxConcurrency')) as number | undefined;
  const maxConcurrencyFromPath = fromPath('MaxConcurrencyPath', true);
  if (maxConcurrencyFromPath !== undefined) {
    if (maxConcurrencyFromPath < 0) throw runtime(`The MaxConcurrencyPath field refers to value ${maxConcurrencyFromPath} which is not a valid non-negative integer: ${s.MaxConcurrencyPath}`);
    maxConcurrency = maxConcurrencyFromPath;
  }
  const countField = (await field('ToleratedFailureCount')) as number | undefined;
  const toleratedFailureCount = fromPath('ToleratedFailureCountPath', true) ?? countField;
  if (toleratedFailureCount !== undefined && toleratedFailureCount < 0) throw runtime('ToleratedFailureCount cannot be negative.');
  const percentageField = (await field('ToleratedFailurePercentage')) as number | undefined;
  const toleratedFailurePercentage = fromPath('ToleratedFailurePercentagePath', false) ?? percentageField;
  if (toleratedFailurePercentage !== undefined && (toleratedFailurePercentage < 0 || toleratedFailurePercentage > 100)) {
    throw runtime('ToleratedFailurePercentage must be between 0 and 100.');
  }
  return { maxConcurrency: maxConcurrency ?? 0, toleratedFailureCount, toleratedFailurePercentage };
}

/** Items per child for an ItemBatcher (MaxItemsPerBatch(Path); without one, a single batch). */
async function itemsPerBatch(run: StateRun, effective: unknown): Promise<number> {
  const b = run.state.ItemBatcher as Record<string, unknown>;
  let n: unknown = b.MaxItemsPerBatch;
  if (n !== undefined && run.lang === 'JSONata') n = await evaluateTemplate(n, jsonataScope(run), 'MaxItemsPerBatch');
  if (b.MaxItemsPerBatchPath !== undefined) n = readStatePath(run, b.MaxItemsPerBatchPath as string, effective);
  if (n === undefined) return Number.MAX_SAFE_INTEGER;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw runtime(`The MaxItemsPerBatch field must be a positive integer, but was: ${JSON.stringify(n)}`);
  }
  return n;
}

async function readItems(run: StateRun, effective: unknown): Promise<unknown[]> {
  const s = run.state;
  if (run.lang === 'JSONata') {
    if (s.Items !== undefined) {
      const items = await evaluateTemplate(s.Items, jsonataScope(run), 'Items');
      if (!Array.isArray(items)) {
        const src = typeof s.Items === 'string' ? s.Items.slice(2, -2).trim() : JSON.stringify(s.Items);
        throw new StatesError(
          'States.QueryEvaluationError',
          `The JSONata expression '${src}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${typeName(items)}' for value: ${JSON.stringify(items)}`,
        );
      }
      return items;
    }
    if (!Array.isArray(effective)) throw new StatesError('States.QueryEvaluationError', `Map state input must be an array but was: ${JSON.stringify(effective)}`);
    return effective;
  }
  const items = s.ItemsPath !== undefined ? readStatePath(run, s.ItemsPath, effective, 'ItemsPath') : effective;
  if (!Array.isArray(items)) {
    throw runtime(`Invalid path '${s.ItemsPath ?? '$'}': The Map state's ItemsPath must reference an array, but was: ${JSON.stringify(items)}`);
  }
  return items;
}

/** Map (inline, and distributed run inline): one iteration per item, results in item order. */
export async function executeMap(run: StateRun): Promise<StateOutcome> {
  const s = run.state;
  if (s.ItemReader !== undefined) {
    throw new StatesError('States.ItemReaderFailed', 'ItemReader is not supported by this engine');
  }
  const effective = run.lang === 'JSONata' ? run.frame.input : applyInputPath(run);
  const lim = await limits(run, effective);
  const batchSize = s.ItemBatcher !== undefined ? await itemsPerBatch(run, effective) : 0;
  if (!run.frame.children) {
    const items = await readItems(run, effective);
    const slots = batchSize > 0 ? Math.ceil(items.length / batchSize) : items.length;
    run.frame.children = { kind: 'map', frames: Array.from({ length: slots }, () => null), results: [], done: [], failures: 0, items };
    run.host.event(run.frame, 'MapStateStarted', { length: items.length });
    run.host.checkpoint();
  }
  const children = run.frame.children;
  const items = children.items ?? [];
  const processor = s.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
  const selector = s.ItemSelector ?? (run.lang === 'JSONPath' ? s.Parameters : undefined);
  const block = [...run.frame.block, 'States', run.name, processor];
  let results: unknown[];
  try {
    results = await run.host.runChildren(run, {
      blockFor: () => block,
      inputFor: async (slot) => {
        const select = async (index: number) => {
          const mapItem = { index, value: items[index] };
          if (selector === undefined) return items[index];
          if (run.lang === 'JSONata') return evaluateTemplate(selector, jsonataScope(run, {}, { mapItem }), 'ItemSelector');
          return applyTemplate(run, selector, effective, 'ItemSelector', { mapItem });
        };
        if (batchSize === 0) return select(slot);
        // ItemBatcher: each child gets `{ Items: [...] }` plus the BatchInput fields.
        const batch: unknown[] = [];
        for (let i = slot * batchSize; i < Math.min(items.length, (slot + 1) * batchSize); i++) batch.push(await select(i));
        const batcher = s.ItemBatcher as Record<string, unknown>;
        let batchInput: unknown = {};
        if (batcher.BatchInput !== undefined) {
          batchInput =
            run.lang === 'JSONata' ? await evaluateTemplate(batcher.BatchInput, jsonataScope(run), 'BatchInput') : applyTemplate(run, batcher.BatchInput, effective, 'BatchInput');
        }
        return { ...(batchInput as Record<string, unknown>), Items: batch };
      },
      ...lim,
    });
  } catch (e) {
    if (!run.signal.aborted) run.host.event(run.frame, 'MapStateFailed');
    run.frame.children = undefined;
    throw e;
  }
  run.frame.children = undefined;
  run.host.event(run.frame, 'MapStateSucceeded');
  const { output, assign } = await finishState(run, results, { resultSelector: true, resultPath: true });
  return { output, assign, ...transition(s as { Next?: string; End?: boolean }) };
}
