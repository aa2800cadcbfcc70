import type { Plugin } from 'vite';
import { tsImport } from 'tsx/esm/api';

/**
 * `virtual:contract-limits`: what the browser needs of the contract's values, read at build
 * time so it ships neither zod nor a hand-written copy: the length limits of the request schemas
 * (from the OpenAPI document libs/contracts generates from its zod schemas), and the importable
 * fields with their labels.
 */
const ID = 'virtual:contract-limits';
const RESOLVED = `\0${ID}`;

type Schema = { type?: string; maxLength?: number; properties?: Record<string, Schema>; anyOf?: Schema[] };

function collect(schema: Schema, prefix: string, out: Record<string, number>): void {
  for (const variant of schema.anyOf ?? [schema]) {
    if (typeof variant.maxLength === 'number' && prefix) out[prefix] = variant.maxLength;
    for (const [key, child] of Object.entries(variant.properties ?? {})) collect(child, prefix ? `${prefix}.${key}` : key, out);
  }
}

export function contractLimits(): Plugin {
  return {
    name: 'atelier-contract-limits',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    async load(id) {
      if (id !== RESOLVED) return undefined;
      const contracts = (await tsImport('../../libs/contracts/src/index.ts', import.meta.url)) as {
        importFields: unknown;
        fieldLabels: unknown;
        buildOpenApiDocument: () => {
          components: { schemas: Record<string, Schema> };
          paths: Record<string, Record<string, { parameters?: { name: string; schema: Schema }[] }>>;
        };
      };
      const doc = contracts.buildOpenApiDocument();
      const maxLengths: Record<string, Record<string, number>> = {};
      for (const [name, schema] of Object.entries(doc.components.schemas)) {
        const out: Record<string, number> = {};
        collect(schema, '', out);
        if (Object.keys(out).length) maxLengths[name] = out;
      }
      const search = doc.paths['/api/clients']?.get?.parameters?.find((p) => p.name === 'search')?.schema.maxLength ?? null;
      return [
        `export const maxLengths = ${JSON.stringify(maxLengths)};`,
        `export const searchMaxLength = ${JSON.stringify(search)};`,
        `export const importFields = ${JSON.stringify(contracts.importFields)};`,
        `export const fieldLabels = ${JSON.stringify(contracts.fieldLabels)};`,
        '',
      ].join('\n');
    },
  };
}
