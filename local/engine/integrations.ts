/**
 * Service integrations as the engine sees them. The runtime passes in plain handlers
 * (`ServiceIntegrations`); this module turns a Task `Resource` plus its parameters into a call
 * to one of them and shapes the result and the errors the way Step Functions does on AWS.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock';
import { StatesError } from './errors';
import { rememberPayloadText } from './history';

/** What an integration call can use besides its parameters. */
export interface IntegrationContext {
  /** Aborted when the task times out or the execution stops: stop work and return. */
  signal: AbortSignal;
  clock: Clock;
  /**
   * Sleeps on the engine clock (lets a test clock skip the time). Use it for simulated latency
   * instead of `setTimeout`.
   */
  sleep(ms: number): Promise<void>;
  executionArn: string;
  stateName: string;
  taskToken?: string;
}

export interface LambdaInvokeRequest {
  functionName: string;
  /** The payload as a JSON value; a string is sent as is (raw JSON text), as Lambda does. */
  payload: unknown;
  clientContext?: string;
  invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  qualifier?: string;
}

export interface LambdaInvokeResponse {
  /** The function's response: JSON text or an already-parsed value. */
  payload: unknown;
  /** Set when the function raised: the payload is then the error JSON (`errorType`, `errorMessage`…). */
  functionError?: 'Unhandled' | 'Handled';
  executedVersion?: string;
  statusCode?: number;
}

/**
 * Handlers the runtime supplies. Each may throw an error whose `name` is the AWS error code
 * (e.g. `ResourceNotFoundException`, `ConditionalCheckFailedException`) and whose `message` is
 * AWS's message; the engine prefixes the service (`Lambda.`, `DynamoDB.`…) as Step Functions does.
 * A handler not supplied makes the task fail with the service's not-found error.
 */
export interface ServiceIntegrations {
  invokeLambda?(request: LambdaInvokeRequest, ctx: IntegrationContext): Promise<LambdaInvokeResponse>;
  /** DynamoDB API action (`GetItem`, `PutItem`, `UpdateItem`, `DeleteItem`, `Query`…) with its request. */
  dynamodb?(action: string, params: Record<string, unknown>, ctx: IntegrationContext): Promise<Record<string, unknown>>;
  putEvents?(params: Record<string, unknown>, ctx: IntegrationContext): Promise<Record<string, unknown>>;
  sendMessage?(params: Record<string, unknown>, ctx: IntegrationContext): Promise<Record<string, unknown>>;
  /** Any other `arn:aws:states:::aws-sdk:<service>:<action>` call. */
  awsSdk?(service: string, action: string, params: Record<string, unknown>, ctx: IntegrationContext): Promise<unknown>;
}

export type IntegrationPattern = 'request' | 'waitForTaskToken' | 'sync' | 'sync2';

export interface ParsedResource {
  /** `lambda` for both forms, `dynamodb`, `events`, `sqs`, `states`, or an aws-sdk service. */
  service: string;
  /** `invoke`, `putItem`, `startExecution`… as written in the ARN. */
  action: string;
  pattern: IntegrationPattern;
  /** The plain Lambda ARN form (`arn:aws:lambda:…:function:name`): the result is the payload. */
  plainLambda?: string;
  awsSdk?: boolean;
  /** `resourceType` / `resource` of TaskScheduled events. */
  resourceType: string;
  resourceName: string;
}

const OPTIMIZED = new Set([
  'lambda:invoke',
  'dynamodb:getItem',
  'dynamodb:putItem',
  'dynamodb:updateItem',
  'dynamodb:deleteItem',
  'dynamodb:query',
  'events:putEvents',
  'sqs:sendMessage',
  'states:startExecution',
]);

const PATTERNS: Record<string, IntegrationPattern> = {
  '': 'request',
  waitForTaskToken: 'waitForTaskToken',
  sync: 'sync',
  'sync:2': 'sync2',
};

const parsedResources = new Map<string, ParsedResource | { unsupported: string }>();

/** Parses a Task `Resource` (cached: the same few ARNs come back at every task). */
export function parseResource(resource: unknown): ParsedResource | { unsupported: string } {
  if (typeof resource !== 'string') return { unsupported: 'Resource must be a string' };
  let parsed = parsedResources.get(resource);
  if (!parsed) {
    parsed = parseResourceText(resource);
    if (parsedResources.size > 1000) parsedResources.clear();
    parsedResources.set(resource, parsed);
  }
  return parsed;
}

/** Parses a Task `Resource`; returns a reason instead when the engine cannot run it. */
function parseResourceText(resource: unknown): ParsedResource | { unsupported: string } {
  if (typeof resource !== 'string') return { unsupported: 'Resource must be a string' };
  const plain = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.exec(resource);
  if (plain) return { service: 'lambda', action: 'invoke', pattern: 'request', plainLambda: resource, resourceType: 'lambda', resourceName: resource };
  const m = /^arn:aws[a-z-]*:states:::(aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)(?:\.(waitForTaskToken|sync(?::2)?))?$/.exec(resource);
  if (!m) return { unsupported: `Unsupported resource ${resource}` };
  const [, sdk, service, action, suffix = ''] = m;
  const pattern = PATTERNS[suffix];
  if (sdk) {
    if (pattern === 'sync' || pattern === 'sync2') return { unsupported: `The resource ${resource} does not support .sync` };
    return { service, action, pattern, awsSdk: true, resourceType: service, resourceName: `${action}${suffix ? '.' + suffix : ''}` };
  }
  if (!OPTIMIZED.has(`${service}:${action}`)) return { unsupported: `Unsupported resource ${resource}` };
  if ((pattern === 'sync' || pattern === 'sync2') && service !== 'states') return { unsupported: `The resource ${resource} does not support .sync` };
  return { service, action, pattern, resourceType: service, resourceName: `${action}${suffix ? '.' + suffix : ''}` };
}

/** Serialization of an error body as Lambda reports it. */
function lambdaErrorOf(payloadText: string): { error: string; body: unknown } {
  let body: unknown;
  try {
    body = JSON.parse(payloadText);
  } catch {
    body = undefined;
  }
  const type = body && typeof body === 'object' && typeof (body as Record<string, unknown>).errorType === 'string' ? ((body as Record<string, unknown>).errorType as string) : 'Lambda.Unknown';
  return { error: type, body };
}

function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (v === '') return null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function payloadAsText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return JSON.stringify(v) ?? 'null';
}

function functionNameOf(nameOrArn: string): string {
  const m = /:function:([^:]+)/.exec(nameOrArn);
  return m ? m[1] : nameOrArn;
}

/** The HTTP metadata AWS adds to optimized-integration results. */
function sdkMetadata(contentLength: number, extraHeaders: Record<string, string> = {}): Record<string, unknown> {
  const requestId = randomUUID();
  const date = new Date().toUTCString();
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Length': String(contentLength),
    'Content-Type': 'application/json',
    Date: date,
    ...extraHeaders,
    'x-amzn-RequestId': requestId,
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
  };
  const all: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) all[k] = [v];
  return {
    SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: headers, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** Wraps an error thrown by a runtime handler into the States error AWS reports. */
function serviceError(prefix: string, e: unknown, genericValidation?: string): StatesError {
  if (e instanceof StatesError) return e;
  const err = e as { name?: string; message?: string; code?: string };
  let name = err?.name && err.name !== 'Error' ? err.name : err?.code ?? 'ServiceException';
  if (genericValidation && name === 'ValidationException') name = genericValidation;
  return new StatesError(`${prefix}.${name}`, String(err?.message ?? e));
}

function missing(prefix: string, what: string): StatesError {
  return new StatesError(`${prefix}.ResourceNotFoundException`, `No ${what} integration is configured in this engine`);
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * Calls the integration for a non-`states` resource with the task's parameters and returns the
 * task result (or throws the States error the task fails with).
 */
export async function callIntegration(
  integrations: ServiceIntegrations,
  resource: ParsedResource,
  params: unknown,
  ctx: IntegrationContext,
): Promise<unknown> {
  if (resource.service === 'lambda' && !resource.awsSdk) return callLambda(integrations, resource, params, ctx);
  const p = asRecord(params);
  if (resource.awsSdk) {
    if (resource.service === 'dynamodb' && integrations.dynamodb) {
      try {
        return await integrations.dynamodb(upperFirst(resource.action), p, ctx);
      } catch (e) {
        throw serviceError('DynamoDb', e, 'DynamoDbException');
      }
    }
    const prefix = sdkPrefix(resource.service);
    if (!integrations.awsSdk) throw missing(prefix, `aws-sdk:${resource.service}`);
    try {
      return await integrations.awsSdk(resource.service, resource.action, p, ctx);
    } catch (e) {
      throw serviceError(prefix, e);
    }
  }
  switch (resource.service) {
    case 'dynamodb': {
      if (!integrations.dynamodb) throw missing('DynamoDB', 'DynamoDB');
      try {
        const out = await integrations.dynamodb(upperFirst(resource.action), p, ctx);
        return { ...out, ...sdkMetadata(JSON.stringify(out).length) };
      } catch (e) {
        throw serviceError('DynamoDB', e, 'AmazonDynamoDBException');
      }
    }
    case 'events': {
      if (!integrations.putEvents) throw missing('EventBridge', 'EventBridge');
      try {
        return await integrations.putEvents(p, ctx);
      } catch (e) {
        throw serviceError('EventBridge', e);
      }
    }
    case 'sqs': {
      if (!integrations.sendMessage) throw missing('SQS', 'SQS');
      try {
        const out = await integrations.sendMessage(p, ctx);
        return { ...out, ...sdkMetadata(JSON.stringify(out).length) };
      } catch (e) {
        throw serviceError('SQS', e);
      }
    }
    default:
      throw new StatesError('States.Runtime', `Unsupported resource ${resource.service}:${resource.action}`);
  }
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** AWS names aws-sdk integration errors after the SDK service, e.g. `S3.NoSuchBucketException`. */
function sdkPrefix(service: string): string {
  const known: Record<string, string> = { s3: 'S3', sqs: 'Sqs', sns: 'Sns', secretsmanager: 'SecretsManager', eventbridge: 'EventBridge', lambda: 'Lambda', sfn: 'Sfn' };
  return known[service] ?? upperFirst(service);
}

async function callLambda(integrations: ServiceIntegrations, resource: ParsedResource, params: unknown, ctx: IntegrationContext): Promise<unknown> {
  let response: LambdaInvokeResponse;
  try {
    response = await startLambda(integrations, resource, params, ctx);
  } catch (e) {
    throw lambdaInvokeError(e);
  }
  return lambdaResult(resource, response);
}

/** Whether a resource is a Lambda invocation (`startLambda` / `lambdaResult` apply). */
export function isLambda(resource: ParsedResource): boolean {
  return resource.service === 'lambda' && !resource.awsSdk;
}

/**
 * Starts a Lambda invocation and returns the runtime handler's own promise (no extra promise
 * layer: the Task fast path settles it once). Throws the States error of a bad request.
 */
export function startLambda(integrations: ServiceIntegrations, resource: ParsedResource, params: unknown, ctx: IntegrationContext): Promise<LambdaInvokeResponse> {
  const plain = resource.plainLambda !== undefined;
  const p = asRecord(params);
  const functionName = plain ? resource.plainLambda! : typeof p.FunctionName === 'string' ? p.FunctionName : undefined;
  if (functionName === undefined) {
    throw new StatesError('States.Runtime', 'The field "FunctionName" is required for the lambda:invoke integration');
  }
  if (!integrations.invokeLambda) {
    throw new StatesError('Lambda.ResourceNotFoundException', `Function not found: ${functionName}`);
  }
  const request: LambdaInvokeRequest = {
    functionName: functionNameOf(functionName),
    // The plain form sends the state's parameters as the event (a string is a JSON string);
    // lambda:invoke sends Payload, where a string is already the JSON text. No payload is `{}`.
    payload: plain ? (typeof params === 'string' ? JSON.stringify(params) : params) : (p.Payload ?? {}),
    clientContext: plain ? undefined : (p.ClientContext as string | undefined),
    invocationType: plain ? undefined : (p.InvocationType as LambdaInvokeRequest['invocationType']),
    qualifier: plain ? undefined : (p.Qualifier as string | undefined),
  };
  try {
    return integrations.invokeLambda(request, ctx);
  } catch (e) {
    throw lambdaInvokeError(e);
  }
}

/** The States error of a Lambda handler that threw or rejected (`Lambda.<name>`). */
export function lambdaInvokeError(e: unknown): StatesError {
  return serviceError('Lambda', e);
}

/**
 * The task result of a Lambda response: the payload (plain ARN) or the `lambda:invoke` shape. The
 * payload goes through its JSON text, as over the wire: the result is the engine's own copy,
 * which the handler cannot change afterwards, and the text serves the history.
 */
export function lambdaResult(resource: ParsedResource, response: LambdaInvokeResponse): unknown {
  const plain = resource.plainLambda !== undefined;
  const text = payloadAsText(response.payload);
  if (response.functionError) {
    const { error, body } = lambdaErrorOf(text);
    // The plain ARN form reports Lambda's error body verbatim; lambda:invoke re-serializes it.
    const cause = plain || body === undefined ? text : JSON.stringify(body);
    throw new StatesError(error, cause);
  }
  const payload = parseMaybeJson(text);
  // A payload object was serialized by us: its text is canonical, keep it for the history.
  if (typeof response.payload === 'object' && response.payload !== null && !(response.payload instanceof Uint8Array)) rememberPayloadText(payload, text);
  if (plain) return payload;
  const version = response.executedVersion ?? '$LATEST';
  return {
    ExecutedVersion: version,
    Payload: payload,
    ...sdkMetadata(Buffer.byteLength(text), { 'X-Amz-Executed-Version': version, 'x-amzn-Remapped-Content-Length': '0' }),
    StatusCode: response.statusCode ?? 200,
  };
}
