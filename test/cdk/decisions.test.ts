import { actionsOf, functionResource, iamStatements, resourcesOf, statementsOfFunction, synthesize, unacknowledgedNagFindings, type Synthesized } from './helpers';

describe('assisted decisions in the stack', () => {
  let off: Synthesized;
  let on: Synthesized;
  beforeAll(() => {
    off = synthesize();
    on = synthesize({ rootCauseModelId: 'amazon.nova-lite-v1:0' });
  });

  it('deploys the decision step with read-write table access and the WMS, and nothing of Bedrock', () => {
    const decide = functionResource(off.template, 'Decide');
    expect(decide.props.Environment.Variables).toEqual(expect.objectContaining({ TABLE_NAME: expect.anything(), WMS_MODE: 'simulator' }));
    expect(statementsOfFunction(off.template, 'Decide').flatMap(actionsOf).some((a) => a.startsWith('bedrock:') || a.startsWith('events:'))).toBe(false);
  });

  it('grants no Bedrock access unless the context names a model', () => {
    expect(iamStatements(off.template).some(({ statement }) => actionsOf(statement).some((a) => a.startsWith('bedrock:')))).toBe(false);
    expect(functionResource(off.template, 'RaiseException').props.Environment.Variables.ROOT_CAUSE_MODEL_ID).toBeUndefined();
  });

  it('lets only the exception raiser invoke the one configured model', () => {
    const bedrock = iamStatements(on.template).filter(({ statement }) => actionsOf(statement).some((a) => a.startsWith('bedrock:')));
    expect(bedrock).toHaveLength(1);
    expect(actionsOf(bedrock[0]!.statement)).toEqual(['bedrock:InvokeModel']);
    expect(JSON.stringify(resourcesOf(bedrock[0]!.statement))).toContain(':bedrock:');
    expect(JSON.stringify(resourcesOf(bedrock[0]!.statement))).toContain('::foundation-model/amazon.nova-lite-v1:0');
    expect(statementsOfFunction(on.template, 'RaiseException')).toContainEqual(bedrock[0]!.statement);
    expect(functionResource(on.template, 'RaiseException').props.Environment.Variables.ROOT_CAUSE_MODEL_ID).toBe('amazon.nova-lite-v1:0');
    expect(unacknowledgedNagFindings(on)).toEqual([]);
  });

  it('refuses a model ARN in place of a model id, naming the key', () => {
    expect(() => synthesize({ rootCauseModelId: 'arn:aws:bedrock:eu-west-1::foundation-model/x' })).toThrow(/rootCauseModelId: must be a Bedrock foundation model id/);
  });
});
