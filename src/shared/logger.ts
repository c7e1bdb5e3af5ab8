/** The logger the layers below the api take: the levels of pino's, which Fastify's loggers also have. */
import type { BaseLogger } from 'pino';

export type Logger = Pick<BaseLogger, 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'>;
