import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Schema = Record<string, any>;

/** OpenAPI 3.0 `nullable: true` becomes JSON Schema's `type: [..., 'null']` (or an anyOf with null). */
function toJsonSchema(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const converted: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'example' || key === 'examples' || key === 'nullable') continue;
    converted[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([name, property]) => [name, toJsonSchema(property)]))
        : toJsonSchema(value);
  }
  if (schema.nullable) {
    if (typeof converted.type === 'string') converted.type = [converted.type, 'null'];
    else return { anyOf: [converted, { type: 'null' }] };
  }
  return converted;
}

export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: unknown;
}

/** Validates real responses against the committed openapi.json: the status must be documented and the body must match. */
export class OpenApiContract {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(private readonly document: Schema) {}

  static async load(): Promise<OpenApiContract> {
    const raw = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'));
    return new OpenApiContract(await SwaggerParser.dereference(raw));
  }

  /** Whether the document describes this operation (a page such as /docs or /problems/… is not one). */
  documents(method: string, path: string): boolean {
    return Boolean(this.document.paths[path]?.[method.toLowerCase()]);
  }

  problems(response: RecordedResponse): string[] {
    const operation = this.document.paths[response.path]?.[response.method.toLowerCase()];
    if (!operation) return [`${response.method} ${response.path} is not documented`];
    const documented = operation.responses[String(response.status)] ?? this.defaultResponse(operation, response.status);
    if (!documented) return [`${response.method} ${response.path} answered ${response.status}, which is not documented`];
    if (response.status === 304) return [];
    if (!documented.content && (response.body === '' || response.body === undefined || response.status === 204)) return [];
    const mediaType = response.contentType.split(';')[0].trim();
    const content = documented.content?.[mediaType];
    if (!content)
      return [`${response.method} ${response.path} ${response.status} answered ${mediaType}, documented: ${Object.keys(documented.content ?? {}).join(', ')}`];
    const key = `${response.method} ${response.path} ${response.status} ${mediaType}`;
    const validate = this.validator(key, content.schema ?? {});
    return validate(response.body) ? [] : [`${key}: ${this.ajv.errorsText(validate.errors)}`];
  }

  /** The `default` response documents exactly the statuses it has an example of, so an unplanned 404 still fails. */
  private defaultResponse(operation: any, status: number): any {
    const fallback = operation.responses.default;
    const examples = Object.values<any>(fallback?.content?.['application/problem+json']?.examples ?? {});
    return examples.some((example) => example.value?.status === status) ? fallback : undefined;
  }

  /**
   * A delivery as a receiver got it, against the document's callback for its event type (on Create
   * Webhook Endpoint): every required header present and valid, and the body matching that type's schema.
   */
  webhookProblems(webhook: { headers: Record<string, unknown>; json: any }): string[] {
    const type = String(webhook.json?.type);
    const callback = this.document.paths['/admin/webhook-endpoints'].post.callbacks?.[type]?.['{$request.body#/url}']?.post;
    if (!callback) return [`no callback documents a ${type} delivery`];
    const problems: string[] = [];
    for (const parameter of callback.parameters ?? []) {
      const value = webhook.headers[parameter.name.toLowerCase()];
      if (value === undefined) {
        if (parameter.required) problems.push(`${type}: header ${parameter.name} is missing`);
        continue;
      }
      const validate = this.validator(`callback ${type} header ${parameter.name}`, parameter.schema ?? {});
      if (!validate(value)) problems.push(`${type}: header ${parameter.name}: ${this.ajv.errorsText(validate.errors)}`);
    }
    const validate = this.validator(`callback ${type} body`, callback.requestBody.content['application/json'].schema);
    if (!validate(webhook.json)) problems.push(`${type} body: ${this.ajv.errorsText(validate.errors)}`);
    return problems;
  }

  /** The schema compiled once per key. */
  private validator(key: string, schema: Schema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema));
      this.validators.set(key, validate);
    }
    return validate;
  }
}
