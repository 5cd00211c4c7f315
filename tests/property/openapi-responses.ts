import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema, OpenApiDocument, Operation } from './openapi-document';

/**
 * Whether an answer is one the OpenAPI document promises: its status is declared for the operation, its
 * content type is declared for that status, and its body validates against the declared schema (with
 * `$ref`s into the document's components).
 */

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The body as text (for an event stream, what arrived before the test hung up). */
  body: string;
}

const DOCUMENT_ID = 'openapi.json';

export function responseChecker(document: OpenApiDocument) {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: false }));
  ajv.addSchema({ components: document.components ?? {} }, DOCUMENT_ID);
  const validators = new Map<JsonSchema, ValidateFunction>();
  const validatorFor = (schema: JsonSchema) => {
    let validate = validators.get(schema);
    if (!validate) {
      validate = ajv.compile(pointRefsAtDocument(schema));
      validators.set(schema, validate);
    }
    return validate;
  };

  /** What is wrong with the answer, or nothing. */
  return function problemsWith(operation: Operation, answer: Answer): string[] {
    const problems: string[] = [];
    if (answer.status >= 500) problems.push(`answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    const declared = operation.responses[String(answer.status)] ?? operation.responses.default;
    if (!declared) {
      problems.push(`answered ${answer.status}, which the OpenAPI does not declare (declared: ${Object.keys(operation.responses).join(', ')}); body: ${answer.body.slice(0, 300)}`);
      return problems;
    }
    const content = declared.content ?? {};
    if (Object.keys(content).length === 0) {
      if (answer.body.length > 0) problems.push(`${answer.status} is declared without a body, yet one came: ${answer.body.slice(0, 200)}`);
      return problems;
    }
    const mediaType = String(answer.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const media = content[mediaType];
    if (!media) {
      problems.push(`${answer.status} came as '${mediaType}', but the OpenAPI declares ${Object.keys(content).join(', ')} for it`);
      return problems;
    }
    let body: unknown = answer.body;
    if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
      try {
        body = JSON.parse(answer.body);
      } catch {
        problems.push(`${answer.status} declared as JSON, but the body is not: ${answer.body.slice(0, 200)}`);
        return problems;
      }
    }
    const validate = validatorFor(media.schema);
    if (!validate(body)) {
      problems.push(`${answer.status} body does not match the OpenAPI schema: ${ajv.errorsText(validate.errors)}; body: ${answer.body.slice(0, 300)}`);
    }
    return problems;
  };
}

/** Local refs (`#/components/…`) resolve against the whole document, which the validator holds under its own ID. */
function pointRefsAtDocument(schema: JsonSchema): JsonSchema {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${DOCUMENT_ID}${value}` : visit(value)]),
    );
  };
  return visit(schema) as JsonSchema;
}
