import { getMetadataStorage } from 'class-validator';
import { EVENT_CATALOG, Topic } from './catalog';

/** The fields a payload class declares, in declaration order (inherited ones first). */
export function payloadFields(payload: abstract new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(payload as new () => object, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

/** The README's event catalogue as a Markdown table, generated from the contracts themselves. */
export function eventCatalogueTable(): string {
  const rows = (Object.keys(EVENT_CATALOG) as Topic[]).map((topic) => {
    const definition = EVENT_CATALOG[topic];
    const fields = payloadFields(definition.payload).map((field) => `\`${field}\``).join(', ');
    return `| \`${topic}\` | ${definition.direction} | ${definition.version} | ${definition.description} | ${fields} |`;
  });
  return ['| topic | direction | version | meaning | payload fields |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
