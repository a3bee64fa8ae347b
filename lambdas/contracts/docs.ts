import { catalog, eventTypes, jsonSchemaOf, sources } from './catalog';

/** The published event catalog: file name → content (JSON Schemas and a README index). */
export function renderEventDocs(): Record<string, string> {
  const files: Record<string, string> = {};
  const rows: string[] = [];
  for (const type of eventTypes) {
    const entry = catalog[type];
    for (const version of Object.keys(entry.versions)) {
      const schema = jsonSchemaOf(type, version);
      const file = `${type}.v${version}.schema.json`;
      files[file] = JSON.stringify({ $id: `urn:logistics-orchestrator:events:${type}:v${version}`, title: `${type} v${version}`, ...schema }, null, 2) + '\n';
      const description = (entry.versions as Record<string, { description?: string }>)[version]?.description ?? '';
      rows.push(`| \`${type}\` | ${version} | \`${sources[entry.system]}\` | ${description} | [schema](${file}) |`);
    }
  }
  files['README.md'] = [
    '# Event catalog',
    '',
    'Generated from `lambdas/contracts` by `npm run events:docs`; do not edit by hand (a test checks these files match the code).',
    '',
    'Every event is an EventBridge event whose `detail-type` is the event type and whose `source` is the producing system.',
    'The `detail` is the common envelope: `schemaVersion`, `eventId` (duplicates carry the same id), `correlationId` (the order id),',
    '`occurredAt` (ISO 8601 with offset), `producer`, and `data`, the payload described by the schema.',
    'An event that does not match its contract is quarantined with a reason naming the field and the rule, never dropped.',
    '',
    '| Event type | Version | Source | Meaning | JSON Schema |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  return files;
}
