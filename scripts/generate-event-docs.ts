/**
 * Writes docs/events/: one JSON Schema per event type and version (generated from the zod catalog,
 * never written by hand) and an index. `npm run events:docs` regenerates; a test fails when the
 * committed files differ from the catalog.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventDocs } from '../lambdas/contracts/docs';

const dir = join(__dirname, '..', 'docs', 'events');
mkdirSync(dir, { recursive: true });
for (const [file, content] of Object.entries(renderEventDocs())) writeFileSync(join(dir, file), content);
console.log(`wrote ${Object.keys(renderEventDocs()).length} files to docs/events/`);
