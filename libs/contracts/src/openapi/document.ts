import { z } from 'zod';
import { Problem } from '../common.js';
import { routes, type RouteSpec } from './routes.js';

type JsonSchema = Record<string, unknown>;

const rewriteRefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewriteRefs(v)]),
    );
  }
  return value;
};

/** Converts with zod's JSON Schema (2020-12, which OpenAPI 3.1 uses) and hoists `$defs` into components. */
function toSchema(components: Record<string, JsonSchema>, schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _s, $defs, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema & {
    $defs?: Record<string, JsonSchema>;
  };
  for (const [id, def] of Object.entries($defs ?? {})) components[id] = rewriteRefs(def) as JsonSchema;
  return rewriteRefs(rest) as JsonSchema;
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

function operation(route: RouteSpec, components: Record<string, JsonSchema>) {
  const problemResponse = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: toSchema(components, Problem, 'output') } },
  });
  const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const queryParams = route.query
    ? Object.entries((toSchema(components, route.query, 'input').properties ?? {}) as Record<string, JsonSchema>).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      }))
    : [];
  const success = route.response.schema
    ? { description: 'OK', content: { [route.response.contentType ?? 'application/json']: { schema: toSchema(components, route.response.schema, 'output') } } }
    : { description: 'No content' };
  return {
    summary: route.summary,
    tags: [route.tag],
    ...(route.auth === 'public' ? { security: [] } : {}),
    parameters: [...params, ...queryParams],
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(components, route.body, 'input') } } } }
      : {}),
    responses: {
      [String(route.response.status)]: success,
      '400': problemResponse('Invalid input; `errors` names each field'),
      '401': problemResponse('Not signed in'),
      '403': problemResponse('Role not allowed, or missing/foreign Origin on a cookie request'),
      '404': problemResponse('Unknown id (or one that belongs to another agency)'),
      '409': problemResponse('Conflict'),
      '429': problemResponse('Rate limited'),
    },
  };
}

/** The OpenAPI 3.1 document served at `GET /api/openapi.json`. */
export function buildOpenApiDocument(serverUrl?: string) {
  const components: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation(route, components);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Atelier API', version: '1.0.0', description: 'Agency management: CRM, projects, billing, payments.' },
    servers: serverUrl ? [{ url: serverUrl }] : [],
    components: {
      schemas: components,
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'atelier_session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token' },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
    paths,
  };
}
