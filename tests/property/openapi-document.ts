/**
 * The published OpenAPI document as the test reads it: every operation with its parameters, body and responses,
 * `$ref`s resolved, so that generators and checks work from what clients are told rather than from our code.
 */

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  minProperties?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
  security?: unknown[];
}

interface RawOperation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: JsonSchema }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
  security?: unknown[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The OpenAPI path template, e.g. `/requests/{id}`. */
  path: string;
  parameters: Parameter[];
  body: { required: boolean; mediaTypes: string[]; schema: JsonSchema } | null;
  responses: RawOperation['responses'];
  /** Declared with `security: []`: no token needed. */
  isPublic: boolean;
}

const METHODS = new Set(['get', 'post', 'patch', 'put', 'delete']);

export function operationsOf(document: OpenApiDocument): Operation[] {
  const inline = (schema: JsonSchema) => inlineRefs(document, schema);
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => METHODS.has(method))
      .map(([method, raw]) => {
        const [mediaType, media] = Object.entries(raw.requestBody?.content ?? {})[0] ?? [];
        return {
          method: method.toUpperCase() as Operation['method'],
          path,
          parameters: (raw.parameters ?? []).map((p) => ({
            name: p.name,
            in: p.in as Parameter['in'],
            required: p.required ?? false,
            schema: inline(p.schema),
          })),
          body:
            mediaType && media
              ? { required: raw.requestBody?.required ?? false, mediaTypes: Object.keys(raw.requestBody!.content), schema: inline(media.schema) }
              : null,
          responses: raw.responses,
          isPublic: Array.isArray(raw.security) && raw.security.length === 0,
        };
      }),
  );
}

/** Replaces every local `$ref` by the schema it points to (the request schemas have no cycles). */
export function inlineRefs(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const { $ref, ...rest } = node as JsonSchema;
    if (typeof $ref === 'string') return visit({ ...resolvePointer(document, $ref), ...rest });
    return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, visit(value)]));
  };
  return visit(schema) as JsonSchema;
}

function resolvePointer(document: OpenApiDocument, ref: string): JsonSchema {
  if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported, not ${ref}`);
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    node = (node as Record<string, unknown> | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  if (!node || typeof node !== 'object') throw new Error(`Unresolvable $ref ${ref}`);
  return node as JsonSchema;
}

/** `/requests/{id}` with `{ id: 'x' }` → `/requests/x`; values are inserted as given (already encoded). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? '');
}
