import { z } from 'zod';
import { Problem } from '../common.js';
import { routes, type RouteSpec } from './routes.js';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;

const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: toSchema(Problem, 'output') } },
});

function operation(route: RouteSpec) {
  const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const queryParams = route.query
    ? Object.entries((toSchema(route.query, 'input').properties ?? {}) as Record<string, JsonSchema>).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      }))
    : [];
  const success = route.response.schema
    ? { description: 'OK', content: { [route.response.contentType ?? 'application/json']: { schema: toSchema(route.response.schema, 'output') } } }
    : { description: 'No content' };
  return {
    summary: route.summary,
    tags: [route.tag],
    ...(route.auth === 'public' ? { security: [] } : {}),
    parameters: [...params, ...queryParams],
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } }
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
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Atelier API', version: '1.0.0', description: 'Agency management: CRM, projects, billing, payments.' },
    servers: serverUrl ? [{ url: serverUrl }] : [],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'atelier_session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token' },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
    paths,
  };
}
