import { z } from 'zod';
import { Problem } from '../common.js';
import { errorCodes, type ErrorCode } from '../errors.js';
import { pathParams, routes, type RouteSpec } from './routes.js';

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

/** What each status means in general; an operation's own codes for it are listed after. */
const problemStatuses: Record<number, string> = {
  400: 'Invalid input; `errors` names each field',
  401: 'Not signed in',
  403: 'Role not allowed, or missing/foreign Origin on a cookie request',
  404: 'Unknown id (or one that belongs to another agency)',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Rate limited',
};
const alwaysDocumented = [400, 401, 403, 404, 409, 429];

function pathParameter(name: string, components: Record<string, JsonSchema>) {
  const schema = pathParams[name];
  if (!schema) throw new Error(`path parameter :${name} has no type in pathParams`);
  return { name, in: 'path', required: true, schema: toSchema(components, schema, 'input') };
}

function problemResponses(route: RouteSpec, components: Record<string, JsonSchema>) {
  const codes = route.errorCodes ?? [];
  const statuses = [...new Set([...alwaysDocumented, ...codes.map((c) => errorCodes[c].status)])].sort((a, b) => a - b);
  const problem = toSchema(components, Problem, 'output');
  return Object.fromEntries(
    statuses.map((status) => {
      const own = codes.filter((c) => errorCodes[c].status === status);
      const description = [problemStatuses[status] ?? 'Error', ...own.map((c) => `\`${c}\`: ${errorCodes[c].description}`)].join('. ');
      const body = own.length ? { ...problem, properties: { ...(problem.properties as object), code: { type: 'string', enum: own } } } : problem;
      return [String(status), { description, content: { 'application/problem+json': { schema: own.length ? body : problem } } }];
    }),
  );
}

function operation(route: RouteSpec, components: Record<string, JsonSchema>) {
  const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => pathParameter(m[1] as string, components));
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
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(route.auth === 'public' ? { security: [] } : {}),
    parameters: [...params, ...queryParams],
    ...(route.body
      ? { requestBody: { required: true, content: { [route.bodyContentType ?? 'application/json']: { schema: toSchema(components, route.body, 'input') } } } }
      : {}),
    ...(route.errorCodes?.length ? { 'x-error-codes': route.errorCodes } : {}),
    responses: { [String(route.response.status)]: success, ...problemResponses(route, components) },
  };
}

const problemCodeDescription =
  'Every error answer is a problem+json document (RFC 9457). `code`, when present, is stable and machine-readable: key messages on it, never on `detail`. ' +
  'The codes: ' +
  (Object.entries(errorCodes) as [ErrorCode, { status: number; description: string }][]).map(([code, e]) => `\`${code}\` (${e.status}) ${e.description}`).join(' ');

/** The OpenAPI 3.1 document served at `GET /api/openapi.json`. */
export function buildOpenApiDocument(serverUrl?: string) {
  const components: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation(route, components);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Atelier API', version: '1.0.0', description: `Agency management: CRM, projects, billing, payments.\n\n${problemCodeDescription}` },
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
