import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { WorkflowFunction } from '../../lib/constructs/workflow-function';

describe('workflow function bundling', () => {
  it('bundles a middy + Powertools handler with esbuild into one minified CommonJS file with a source map', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bundle-'));
    try {
      const app = new App({ outdir });
      const stack = new Stack(app, 'Bundle');
      new WorkflowFunction(stack, 'BundleCheck', {
        entry: path.join(__dirname, 'fixtures', 'handler-bundle-check.ts'),
        description: 'Bundling check',
        serviceName: 'bundle-check',
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.handler',
        Runtime: 'nodejs24.x',
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'bundle-check' } },
      });
      const assetDirs = fs.readdirSync(outdir).filter((d) => d.startsWith('asset.'));
      expect(assetDirs).toHaveLength(1);
      const files = fs.readdirSync(path.join(outdir, assetDirs[0])).sort();
      expect(files).toEqual(['index.js', 'index.js.map']);
      const code = fs.readFileSync(path.join(outdir, assetDirs[0], 'index.js'), 'utf8');
      expect(code).not.toMatch(/require\(["']@middy\/core["']\)/);
      expect(code).not.toMatch(/^import /m);
      expect(code).toMatch(/module\.exports/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
