/**
 * The JSON body parser for every route: Fastify's own (prototype-poisoning checks included), preceded by a
 * nesting-depth check on the raw text, so a body nested deeper than any real request is a 400 before a single
 * object of it is built.
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../shared/errors.js';
import { findExcessNesting, MAX_JSON_DEPTH } from './json-depth.js';
import { formatPath } from './openai/parse-body.js';

export function installJsonBodyParser(app: FastifyInstance, maxDepth: number = MAX_JSON_DEPTH): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    const tooDeep = findExcessNesting(text, maxDepth);
    if (tooDeep) {
      const param = formatPath(tooDeep) || null;
      done(new GatewayError('invalid_json', { param, message: `The request body nests objects and arrays deeper than ${maxDepth} levels.` }), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
