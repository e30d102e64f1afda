import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { DOCUMENTED_DEVIATIONS, applyDeviations } from './deviations';
import { formatsFor } from './formats';
import { PathIndex, normalizeApiPath } from './pathIndex';
import { isJsonObject, toJsonSchema, type Json } from './schemaConversion';
import { findUndeclaredProperties } from './undeclaredProperties';

/** The contract documents, as published by Cisco (shared/webex-openapi). */
export const CONTRACT_FILES = ['webex-wholesale.json', 'webex-admin.json'] as const;

/** One HTTP exchange; `RecordedCall` of the Webex simulator fits this shape. */
export interface ContractCall {
  method: string;
  /** Path below the API base; `/v1/...`, absolute URLs and query strings are accepted too. */
  path: string;
  query?: Record<string, string | string[]>;
  requestBody?: unknown;
  /** 0 means no answer (connection reset): only the request is checked. */
  status: number;
  responseBody?: unknown;
}

export interface ContractReport {
  /** Calls that map to a path of the contract and were checked. */
  checked: number;
  /** `METHOD /path` of calls whose path the OpenAPI files do not describe (e.g. /locations); skipped, not failed. */
  notInContract: string[];
  violations: string[];
}

export interface OpenApiContract {
  /** `METHOD /template` the call maps to, or undefined when its path is not in the OpenAPI files. */
  operationOf(call: Pick<ContractCall, 'method' | 'path'>): string | undefined;
  /** Human-readable violations; [] for a conforming call or one whose path is not in the contract. */
  checkCall(call: ContractCall): string[];
  checkCalls(calls: readonly ContractCall[]): ContractReport;
}

export interface ContractOptions {
  /** Also report object properties the schemas do not declare (default true). */
  reportUndeclaredProperties?: boolean;
}

interface Operation {
  documentId: string;
  template: string;
  method: string;
  spec: Json;
}

function isAbsent(body: unknown): boolean {
  return body === undefined || body === null || body === '';
}

/** The JSON schema of a requestBody/response object, if it has a JSON media type. */
function jsonSchemaOf(holder: unknown): unknown {
  if (!isJsonObject(holder) || !isJsonObject(holder.content)) return undefined;
  const mediaType = Object.entries(holder.content).find(([type]) => /json/i.test(type))?.[1];
  return isJsonObject(mediaType) ? mediaType.schema : undefined;
}

function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const allowed = error.keyword === 'enum' ? ` (${(error.params.allowedValues as unknown[]).join(', ')})` : '';
  return `${where} ${error.message ?? 'is invalid'}${allowed}`;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

export function loadOpenApiContract(dir: string, options: ContractOptions = {}): OpenApiContract {
  const reportUndeclared = options.reportUndeclaredProperties ?? true;
  const documents = CONTRACT_FILES.map((file) => ({ id: file, doc: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Json }));
  const ajv = new Ajv({ strict: false, allErrors: true, formats: formatsFor(documents.map((d) => d.doc)) });
  const componentSchemas = new Map<string, Json>();
  const index = new PathIndex<Operation>();

  for (const { id, doc } of documents) {
    const schemas = (isJsonObject(doc.components) && isJsonObject(doc.components.schemas) ? doc.components.schemas : {}) as Json;
    applyDeviations(id, schemas, DOCUMENTED_DEVIATIONS);
    const converted = toJsonSchema(schemas, id) as Json;
    componentSchemas.set(id, converted);
    ajv.addSchema({ $id: id, components: { schemas: converted } });
    for (const [template, item] of Object.entries(isJsonObject(doc.paths) ? doc.paths : {})) {
      for (const [method, spec] of Object.entries(isJsonObject(item) ? item : {})) {
        if (HTTP_METHODS.has(method) && isJsonObject(spec)) {
          index.add(template, method.toUpperCase(), { documentId: id, template, method: method.toUpperCase(), spec });
        }
      }
    }
  }

  const resolveRef = (ref: string): unknown => {
    const [documentId = '', pointer = ''] = ref.split('#');
    const name = pointer.replace(/^\/components\/schemas\//, '');
    return componentSchemas.get(documentId)?.[name];
  };

  const validators = new Map<unknown, { validate: ValidateFunction; schema: unknown }>();
  const validatorFor = (operation: Operation, rawSchema: unknown) => {
    let compiled = validators.get(rawSchema);
    if (!compiled) {
      const schema = toJsonSchema(rawSchema, operation.documentId);
      compiled = { validate: ajv.compile(schema as Json), schema };
      validators.set(rawSchema, compiled);
    }
    return compiled;
  };

  const checkBody = (operation: Operation, rawSchema: unknown, body: unknown, label: string): string[] => {
    const { validate, schema } = validatorFor(operation, rawSchema);
    const problems = validate(body) ? [] : (validate.errors ?? []).map(describeAjvError);
    if (reportUndeclared) problems.push(...findUndeclaredProperties(schema, body, resolveRef));
    return problems.map((p) => `${operation.method} ${operation.template} ${label}: ${p}`);
  };

  const checkRequest = (operation: Operation, call: ContractCall): string[] => {
    const requestBody = operation.spec.requestBody;
    const schema = jsonSchemaOf(requestBody);
    if (isAbsent(call.requestBody)) {
      const required = isJsonObject(requestBody) && requestBody.required === true;
      return required ? [`${operation.method} ${operation.template} request body: missing but required`] : [];
    }
    if (requestBody === undefined) return [`${operation.method} ${operation.template} request body: sent, but the operation takes none`];
    return schema === undefined ? [] : checkBody(operation, schema, call.requestBody, 'request body');
  };

  const checkResponse = (operation: Operation, call: ContractCall): string[] => {
    // No answer, or an error answer: every Webex operation may fail with any 4xx/5xx, and error bodies have no schema.
    if (call.status === 0 || call.status >= 400) return [];
    const responses = isJsonObject(operation.spec.responses) ? operation.spec.responses : {};
    const response = responses[String(call.status)] ?? responses[`${String(call.status)[0]}XX`] ?? responses.default;
    const label = `response ${call.status}`;
    if (response === undefined) {
      const listed = Object.keys(responses).filter((s) => !/^[45]/.test(s));
      return [`${operation.method} ${operation.template} ${label}: status not listed (listed: ${listed.join(', ')})`];
    }
    const schema = jsonSchemaOf(response);
    if (schema !== undefined) return checkBody(operation, schema, call.responseBody, label);
    return isAbsent(call.responseBody) ? [] : [`${operation.method} ${operation.template} ${label}: has a body, but the contract declares none`];
  };

  const checkCall = (call: ContractCall): string[] => {
    const entry = index.find(call.path);
    if (!entry) return [];
    const method = call.method.toUpperCase();
    const operation = entry.methods.get(method);
    if (!operation) return [`${method} ${entry.template}: method not in contract (has ${[...entry.methods.keys()].join(', ')})`];
    return [...checkRequest(operation, call), ...checkResponse(operation, call)];
  };

  return {
    operationOf: (call) => {
      const entry = index.find(call.path);
      return entry && `${call.method.toUpperCase()} ${entry.template}`;
    },
    checkCall,
    checkCalls: (calls) => {
      const notInContract = new Set<string>();
      const violations: string[] = [];
      let checked = 0;
      for (const call of calls) {
        if (!index.find(call.path)) {
          notInContract.add(`${call.method.toUpperCase()} ${normalizeApiPath(call.path)}`);
          continue;
        }
        checked += 1;
        violations.push(...checkCall(call));
      }
      return { checked, notInContract: [...notInContract], violations };
    },
  };
}
