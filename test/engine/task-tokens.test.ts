import { TestClock } from '../../local/engine';
import { engineWith, historyOf, nextEvent } from './helpers';

/** A machine that hands a task token to a queue and waits for the callback. */
function callbackMachine(extra: Record<string, unknown> = {}) {
  return {
    StartAt: 'Wait for carrier',
    States: {
      'Wait for carrier': {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/tenders', MessageBody: { 'token.$': '$$.Task.Token', 'load.$': '$.load' } },
        ...extra,
        End: true,
      },
    },
  };
}

function queue() {
  const sent: { token: string; load: string }[] = [];
  return {
    sent,
    integrations: {
      async sendMessage(params: Record<string, unknown>) {
        sent.push(params.MessageBody as { token: string; load: string });
        return { MessageId: `m-${sent.length}`, MD5OfMessageBody: 'x' };
      },
    },
  };
}

describe('task tokens', () => {
  it('completes a waiting task with sendTaskSuccess output', async () => {
    const q = queue();
    const { engine, stateMachineArn } = await engineWith(callbackMachine(), { integrations: q.integrations });
    const submitted = nextEvent(engine, 'TaskSubmitted');
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify({ load: 'L-1' }) });
    await submitted;
    expect(q.sent[0].load).toBe('L-1');
    await engine.sendTaskSuccess({ taskToken: q.sent[0].token, output: JSON.stringify({ accepted: true }) });
    const result = await engine.waitForExecution(executionArn);
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({ accepted: true });
    const types = (await historyOf(engine, executionArn)).map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  });

  it('fails the task with the error and cause given to sendTaskFailure', async () => {
    const q = queue();
    const { engine, stateMachineArn } = await engineWith(callbackMachine(), { integrations: q.integrations });
    const submitted = nextEvent(engine, 'TaskSubmitted');
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify({ load: 'L-2' }) });
    await submitted;
    await engine.sendTaskFailure({ taskToken: q.sent[0].token, error: 'TenderRejected', cause: 'no capacity' });
    const result = await engine.waitForExecution(executionArn);
    expect(result).toMatchObject({ status: 'FAILED', error: 'TenderRejected', cause: 'no capacity' });
  });

  it('rejects malformed, unknown and finished tokens with AWS errors', async () => {
    const q = queue();
    const { engine, stateMachineArn } = await engineWith(callbackMachine(), { integrations: q.integrations });
    await expect(engine.sendTaskSuccess({ taskToken: 'not a token', output: '{}' })).rejects.toMatchObject({ name: 'InvalidToken' });
    await expect(engine.sendTaskSuccess({ taskToken: 'AQB' + 'a'.repeat(64), output: '{}' })).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    const submitted = nextEvent(engine, 'TaskSubmitted');
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify({ load: 'L-3' }) });
    await submitted;
    const token = q.sent[0].token;
    await expect(engine.sendTaskSuccess({ taskToken: token, output: '{not json' })).rejects.toMatchObject({ name: 'InvalidOutput' });
    await engine.sendTaskSuccess({ taskToken: token, output: '{}' });
    await engine.waitForExecution(executionArn);
    await expect(engine.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('answers TaskTimedOut to every callback on the token of a stopped execution (StopExecution closes its tokens)', async () => {
    const q = queue();
    const { engine, stateMachineArn } = await engineWith(callbackMachine(), { integrations: q.integrations });
    const submitted = nextEvent(engine, 'TaskSubmitted');
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify({ load: 'L-STOP' }) });
    await submitted;
    const token = q.sent[0].token;
    await engine.stopExecution({ executionArn, error: 'OrderCancelled', cause: 'stopped by ops' });
    expect(await engine.waitForExecution(executionArn)).toMatchObject({ status: 'ABORTED' });
    await expect(engine.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(engine.sendTaskFailure({ taskToken: token, error: 'Late', cause: 'too late' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(engine.sendTaskHeartbeat({ taskToken: token })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    expect(engine.openTaskTokens).toBe(0);
  });

  it('times the task out after TimeoutSeconds (the SLA) and rejects the late callback', async () => {
    const q = queue();
    const { engine, run } = await engineWith(callbackMachine({ TimeoutSeconds: 48 * 3600 }), { integrations: q.integrations });
    const started = Date.now();
    const { executionArn, result } = await run({ load: 'L-4' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const history = await historyOf(engine, executionArn);
    expect(history.map((e) => e.type)).toContain('TaskTimedOut');
    const entered = history.find((e) => e.type === 'TaskStateEntered')!.timestamp.getTime();
    const timedOut = history.find((e) => e.type === 'TaskTimedOut')!.timestamp.getTime();
    expect(timedOut - entered).toBe(48 * 3600 * 1000);
    await expect(engine.sendTaskSuccess({ taskToken: q.sent[0].token, output: '{}' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('fails with States.HeartbeatTimeout when heartbeats stop, and heartbeats keep it alive', async () => {
    const q = queue();
    const clock = new TestClock({ autoAdvance: false });
    const { engine, stateMachineArn } = await engineWith(callbackMachine({ HeartbeatSeconds: 60 }), { integrations: q.integrations, clock });
    const submitted = nextEvent(engine, 'TaskSubmitted');
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify({ load: 'L-5' }) });
    await submitted;
    clock.advance(50_000);
    await engine.sendTaskHeartbeat({ taskToken: q.sent[0].token });
    clock.advance(50_000); // 100 s after start, 50 s after the heartbeat: still alive
    expect((await engine.describeExecution({ executionArn })).status).toBe('RUNNING');
    clock.advance(11_000);
    const result = await engine.waitForExecution(executionArn);
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  });
});
