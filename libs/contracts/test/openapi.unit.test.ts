import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, errorCodes, routes } from '../src/index.js';

type Operation = {
  operationId?: string;
  parameters: { name: string; in: string; schema: { type?: string; format?: string } }[];
  responses: Record<string, { description: string; content?: Record<string, { schema: { properties?: { code?: { enum?: string[] } } } }> }>;
  'x-error-codes'?: string[];
};

const operations = (): [string, Operation][] => {
  const doc = buildOpenApiDocument();
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op as Operation] as [string, Operation]));
};

describe('OpenAPI document', () => {
  it('gives every operation a unique operationId', () => {
    const ids = operations().map(([, op]) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(routes.length);
  });

  it('types path parameters: ids are uuids', () => {
    const params = operations().flatMap(([key, op]) => op.parameters.filter((p) => p.in === 'path').map((p) => ({ key, ...p })));
    expect(params.length).toBeGreaterThan(10);
    for (const p of params) {
      if (p.name === 'token' || p.name === 'publicToken') expect(p.schema.type).toBe('string');
      else expect({ key: p.key, name: p.name, format: p.schema.format }).toEqual({ key: p.key, name: p.name, format: 'uuid' });
    }
  });

  it("lists each operation's error codes, under the status each code answers with", () => {
    const [, commit] = operations().find(([key]) => key === 'POST /api/imports/{id}/commit') ?? [];
    expect(commit?.['x-error-codes']).toEqual(['import.not_found', 'import.not_uploaded', 'import.invalid_mapping']);
    expect(commit?.responses['404']?.description).toContain('`import.not_found`');
    expect(commit?.responses['409']?.content?.['application/problem+json']?.schema.properties?.code?.enum).toEqual(['import.not_uploaded']);
    for (const [key, op] of operations()) {
      for (const code of op['x-error-codes'] ?? []) {
        const status = errorCodes[code as keyof typeof errorCodes].status;
        expect(op.responses[String(status)]?.description, `${key} ${code}`).toContain(code);
      }
    }
  });

  it('describes `code` on Problem and every code in the API description', () => {
    const doc = buildOpenApiDocument();
    const problem = doc.components.schemas.Problem as { properties: { code: { description?: string } } };
    expect(problem.properties.code.description).toMatch(/stable/i);
    for (const code of Object.keys(errorCodes)) expect(doc.info.description).toContain(`\`${code}\``);
  });
});
