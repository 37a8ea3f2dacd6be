/**
 * How the JSON APIs (the admin API and the console's) read requests, set on each one's own
 * encapsulated context so the rest of the app is untouched:
 * - unknown fields are refused with a 400 that names them. Fastify's default Ajv options have
 *   removeAdditional: true, which silently drops them instead: a typo such as `cordinator` would
 *   then read as a missing field at best, as an accepted request at worst;
 * - bodies are not type-coerced (`"phone": 59171234567` is an error, not a string);
 * - bad JSON gets a 400 that says where the parser stopped;
 * - every 4xx answers `{error}` like the rest of Ayni; 5xx go on to the app's error handler.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { E164_PATTERN } from '../../groups/coordinator-store.js';

const common = { allErrors: false, useDefaults: true, removeAdditional: false } as const;
const bodyOptions = { ...common, coerceTypes: false } as const;

export function useStrictInput(app: FastifyInstance): void {
  const bodyAjv = new Ajv(bodyOptions);
  // Params and query strings arrive as text: they need coercion.
  const textAjv = new Ajv({ ...common, coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : textAjv).compile(schema),
  );
  app.setSchemaErrorFormatter(
    (errors, dataVar) => new Error(describeErrors(errors as ErrorObject[], dataVar)),
  );

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: error.message });
    }
    // Redis away (503) and bugs (500) are the app's error handler's to answer.
    throw error;
  });
}

/**
 * The same check as a route's body schema, for a body built on the server (the console's reminder
 * form builds a broadcast's body): null when it passes, else the message the route would answer.
 */
export function bodyCheck(schema: object): (body: unknown) => string | null {
  const validate = new Ajv(bodyOptions).compile(schema);
  return (body) => (validate(body) ? null : describeErrors(validate.errors ?? [], 'body'));
}

export function describeErrors(errors: ErrorObject[], dataVar: string): string {
  return errors.map((error) => describeError(error, dataVar)).join('; ');
}

function describeError(error: ErrorObject, dataVar: string): string {
  const where = `${dataVar}${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where} has an unknown field '${String(params.additionalProperty)}'`;
    case 'required':
      return `${where} is missing the field '${String(params.missingProperty)}'`;
    case 'enum':
      return `${where} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'pattern':
      if (params.pattern === E164_PATTERN) {
        return `${where} must be a phone number in E.164 form, like +59171234567`;
      }
      if (params.pattern === '\\S') return `${where} must not be blank`;
      return `${where} ${error.message ?? 'is not valid'}`;
    default:
      return `${where} ${error.message ?? 'is not valid'}`;
  }
}

type ParseError = Error & { statusCode?: number };

// JSON.parse with a reviver that refuses the keys of prototype poisoning, as Fastify's own parser
// (secure-json-parse) does; the reviver runs on bodies of at most the route's bodyLimit.
function parseJson(
  _request: FastifyRequest,
  text: string | Buffer,
  done: (err: Error | null, body?: unknown) => void,
) {
  const body = typeof text === 'string' ? text : text.toString('utf8');
  if (body.trim() === '') return done(badRequest('the body is empty; send a JSON object'));
  try {
    done(
      null,
      JSON.parse(body, (key, value: unknown) => {
        if (key === '__proto__' || key === 'constructor')
          throw new SyntaxError(`the key '${key}' is not allowed`);
        return value;
      }),
    );
  } catch (error) {
    done(badRequest(`the body is not valid JSON: ${(error as Error).message}`));
  }
}

function badRequest(message: string): ParseError {
  return Object.assign(new Error(message), { statusCode: 400 });
}
