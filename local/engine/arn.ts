import { InvalidArn, InvalidName } from './api-errors';

export interface ArnScope {
  region: string;
  account: string;
}

export function stateMachineArn(scope: ArnScope, name: string): string {
  return `arn:aws:states:${scope.region}:${scope.account}:stateMachine:${name}`;
}

export function executionArn(scope: ArnScope, machineName: string, name: string): string {
  return `arn:aws:states:${scope.region}:${scope.account}:execution:${machineName}:${name}`;
}

const ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):(stateMachine|execution|express):([^:]+)(?::([^:]+))?$/;

export function parseStateMachineArn(arn: unknown): { name: string } {
  const m = typeof arn === 'string' ? ARN.exec(arn) : null;
  if (!m || m[3] !== 'stateMachine') throw new InvalidArn(`Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
  return { name: m[4] };
}

export function parseExecutionArn(arn: unknown): { machineName: string; name: string } {
  const m = typeof arn === 'string' ? ARN.exec(arn) : null;
  if (!m || m[3] !== 'execution' || !m[5]) throw new InvalidArn(`Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
  return { machineName: m[4], name: m[5] };
}

/**
 * AWS names: 1-80 characters, no whitespace, brackets, wildcards, special or control characters.
 */
export function checkName(name: unknown, what = 'name'): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 80) {
    throw new InvalidName(`Invalid Name: '${String(name)}'`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/.test(name)) {
    throw new InvalidName(`Invalid ${what}: '${name}'`);
  }
  return name;
}
