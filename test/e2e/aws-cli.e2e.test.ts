import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { names } from '../../local/runtime/runtime';
import { release, System } from './support';

const run = promisify(execFile);
/** Debian's AWS CLI v2 (another `aws` may come first on the PATH). .ci/run installs it. */
const awsCli = '/usr/bin/aws';

describe('the AWS CLI against the local runtime', () => {
  let system: System;
  const aws = async (...args: string[]) => {
    const { stdout } = await run(awsCli, ['--endpoint-url', system.runtime.endpoint, '--output', 'json', ...args], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'cli', AWS_SECRET_ACCESS_KEY: 'cli', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
    });
    return stdout.trim() ? JSON.parse(stdout) : {};
  };

  beforeAll(async () => {
    if (!existsSync(awsCli)) throw new Error(`${awsCli} is missing: apt-get install -y awscli (Debian's AWS CLI v2)`);
    const { stdout } = await run(awsCli, ['--version']);
    if (!stdout.startsWith('aws-cli/2.')) throw new Error(`expected AWS CLI v2, got ${stdout}`);
    system = await System.start({ scripts: { 'CLI-1': { carrierAnswers: { GEOD: 'SILENT', DBSK: 'SILENT', DHLF: 'SILENT', RHNS: 'SILENT' } } } });
  });
  afterAll(() => system?.stop());

  it('puts an event, lists executions, reads a history and sends a task success', async () => {
    const hold = system.clock.hold();
    try {
      const detail = JSON.stringify({ schemaVersion: '1', eventId: 'cli-1', correlationId: 'CLI-1', occurredAt: system.now(), producer: 'cli', data: release(system, 'CLI-1') });
      const put = await aws('events', 'put-events', '--entries', JSON.stringify([{ EventBusName: names.bus, Source: 'logistics.erp', DetailType: 'OrderReleased', Detail: detail }]));
      expect(put.FailedEntryCount).toBe(0);

      let token: string | undefined;
      for (let i = 0; i < 100 && !token; i++) {
        const item = await aws('dynamodb', 'get-item', '--table-name', names.table, '--key', JSON.stringify({ PK: { S: 'WAIT#TENDER#CLI-1-T1' }, SK: { S: 'WAIT' } }));
        token = item.Item?.taskToken?.S;
        if (!token) await new Promise((r) => setTimeout(r, 50));
      }
      expect(token).toBeDefined();

      const listed = await aws('stepfunctions', 'list-executions', '--state-machine-arn', `arn:aws:states:us-east-1:000000000000:stateMachine:${names.stateMachine}`);
      expect(listed.executions).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'CLI-1', status: 'RUNNING' })]));

      const history = await aws('stepfunctions', 'get-execution-history', '--execution-arn', system.executionArn('CLI-1'));
      expect(history.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['ExecutionStarted', 'TaskScheduled', 'TaskSubmitted']));

      await aws('stepfunctions', 'send-task-success', '--task-token', token!, '--task-output', JSON.stringify({ outcome: 'ACCEPTED', carrierId: 'RHNS', tenderId: 'CLI-1-T1', pickupAt: null }));
      await expect(aws('stepfunctions', 'send-task-success', '--task-token', token!, '--task-output', '{}')).rejects.toThrow(/TaskTimedOut/);
    } finally {
      hold();
    }
    expect((await system.finished('CLI-1')).status).toBe('SUCCEEDED');
    expect(await system.order('CLI-1')).toMatchObject({ carrierId: 'RHNS', stage: 'COMPLETED' });
  });
});
