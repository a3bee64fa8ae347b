import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from '../lib/config';
import { LogisticsOrchestratorStack } from '../lib/logistics-orchestrator-stack';

const app = new App();

// Environment-agnostic on purpose: no account or region, no lookups, so `cdk synth` runs offline.
new LogisticsOrchestratorStack(app, 'LogisticsOrchestratorStack', {
  description: 'Logistics workflow orchestration: EventBridge routes ERP, WMS, TMS and carrier events into Step Functions workflows',
  config: readConfig(app.node),
});

// cdk-nag 3 is a policy-validation plugin: an unacknowledged finding fails the synth. Acknowledgments
// (each with its reason) are also written into the template's Metadata, as an audit trail.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
