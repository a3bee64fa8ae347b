import { sleepUntil } from '../clock';
import { StatesError } from '../errors';
import { evaluateTemplate } from '../jsonata';
import { applyInputPath, readStatePath, finishState, jsonataScope, transition, type StateOutcome, type StateRun } from './run';

const ISO_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an ISO-8601 extended offset date-time (the only form AWS accepts for Wait). */
export function parseIsoOffset(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = ISO_OFFSET.exec(v);
  if (!m) return undefined;
  const [, , mo, d, h, mi, se] = m.map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function runtime(message: string): StatesError {
  return new StatesError('States.Runtime', message);
}

async function dueTime(run: StateRun, effective: unknown): Promise<number> {
  const s = run.state;
  const now = run.host.clock.now();
  if (run.lang === 'JSONata') {
    const scope = jsonataScope(run);
    if (s.Seconds !== undefined) {
      const v = await evaluateTemplate(s.Seconds, scope, 'Seconds');
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        throw new StatesError('States.QueryEvaluationError', `The Seconds field must be a non-negative integer, but was: ${JSON.stringify(v)}`);
      }
      return now + v * 1000;
    }
    const v = await evaluateTemplate(s.Timestamp, scope, 'Timestamp');
    const t = parseIsoOffset(v);
    if (t === undefined) {
      throw new StatesError('States.QueryEvaluationError', `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
    return t;
  }
  if (s.Seconds !== undefined) return now + Number(s.Seconds) * 1000;
  if (s.Timestamp !== undefined) {
    const t = parseIsoOffset(s.Timestamp);
    if (t === undefined) throw runtime(`The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${s.Timestamp}`);
    return t;
  }
  if (s.SecondsPath !== undefined) {
    const v = readStatePath(run, s.SecondsPath, effective, 'SecondsPath');
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw runtime(`The SecondsPath parameter cannot be parsed as a long value: ${s.SecondsPath} == ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
    if (v < 0) throw runtime(`The SecondsPath parameter references a negative value: ${s.SecondsPath} == ${v}`);
    return now + v * 1000;
  }
  const v = readStatePath(run, s.TimestampPath, effective, 'TimestampPath');
  const t = parseIsoOffset(v);
  if (t === undefined) {
    throw runtime(`The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${s.TimestampPath} == ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return t;
}

/** Wait: sleeps on the engine clock; the due time is checkpointed so a restart keeps it. */
export async function executeWait(run: StateRun): Promise<StateOutcome> {
  const effective = run.lang === 'JSONPath' ? applyInputPath(run) : run.frame.input;
  if (run.frame.waitDue === undefined) {
    run.frame.waitDue = await dueTime(run, effective);
    run.host.checkpoint();
  }
  await sleepUntil(run.host.clock, run.frame.waitDue, run.signal);
  const { output, assign } = await finishState(run, effective, { jsonataDefault: run.frame.input });
  return { output, assign, ...transition(run.state as { Next?: string; End?: boolean }) };
}
