/**
 * Renders every failure as OpenAI's error shape with the right status. Unknown errors become a generic 500:
 * their details go to the log with the request id, never into the body.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, isGatewayError } from '../shared/errors.js';

/** Fastify's own errors (body parsing, limits) mapped onto the catalog. */
function fromFastifyError(error: FastifyError): GatewayError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('invalid_json', { message: 'The request body is empty; send a JSON object.' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('invalid_request', { message: 'Content-Length does not match the body.' });
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new GatewayError('invalid_json');
  }
  if (error.validation) return new GatewayError('invalid_request', { message: error.message });
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new GatewayError('invalid_request', { status: error.statusCode, message: 'The request is invalid.' });
  }
  return undefined;
}

export function toGatewayError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  return fromFastifyError(error as FastifyError) ?? new GatewayError('internal_error', { cause: error });
}

/** A front door's error body: OpenAI's shape unless the route speaks another API. */
export type ErrorRenderer = (error: GatewayError) => { status: number; body: unknown };

const renderOpenAIError: ErrorRenderer = (error) => ({ status: error.status, body: error.toBody() });

export function sendGatewayError(reply: FastifyReply, error: GatewayError, render: ErrorRenderer = renderOpenAIError): FastifyReply {
  if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
  reply.header('x-tokenhub-error-code', error.code);
  const { status, body } = render(error);
  return reply.status(status).type('application/json').send(body);
}

/** The error handler for a scope: logs what needs a look, then answers in the scope's error shape. */
export function createErrorHandler(render: ErrorRenderer = renderOpenAIError) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const gatewayError = toGatewayError(error);
    if (gatewayError.code === 'internal_error') request.log.error({ err: error }, 'unhandled error');
    else if (gatewayError.status >= 500) request.log.warn({ code: gatewayError.code, upstreamStatus: gatewayError.upstreamStatus }, gatewayError.message);
    return sendGatewayError(reply, gatewayError, render);
  };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(createErrorHandler());
  app.setNotFoundHandler((request, reply) =>
    sendGatewayError(reply, new GatewayError('not_found', { message: `No route for ${request.method} ${request.url.split('?')[0]}` })),
  );
}
