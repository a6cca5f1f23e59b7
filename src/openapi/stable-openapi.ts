import type { OpenAPIObject } from '@nestjs/swagger';

function sortedKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

/** The committed form of the document: paths and component schemas sorted by name, two-space JSON, trailing newline. */
export function stableOpenApiJson(document: OpenAPIObject): string {
  const stable: OpenAPIObject = {
    ...document,
    paths: sortedKeys(document.paths),
    components: { ...document.components, schemas: sortedKeys(document.components?.schemas ?? {}) },
  };
  return `${JSON.stringify(stable, null, 2)}\n`;
}
