import type { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';
import { traceIdsForLog, tracingEnabled } from '../tracing/tracing';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** The secret-bearing request headers, never written even if a line carries headers. */
const REDACTED = ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie'];

/** Nest's start-up chatter (a line per module and per route): debug, so start-up says only what a person needs. */
const NEST_START_UP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

export type LogFormat = 'pretty' | 'json';

/**
 * JSON lines (for log collectors), or in development short human-readable lines through pino-pretty
 * (a development dependency: where it is not installed, as in the production image, JSON it is).
 */
export function createRootLogger(level: string, format: LogFormat = 'json'): Pino {
  // With tracing on, every line written inside a traced request carries its trace_id and span_id.
  const options = { level, redact: { paths: REDACTED, censor: '[redacted]' }, ...(tracingEnabled() ? { mixin: traceIdsForLog } : {}) };
  if (format === 'pretty') {
    try {
      const pretty = require('pino-pretty') as (options: object) => NodeJS.WritableStream;
      return pino(
        options,
        pretty({
          colorize: Boolean(process.stdout.isTTY),
          sync: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname,context,req,res,responseTime,requestId,actor,route',
          messageFormat: '{if context}{context}: {end}{msg}',
          singleLine: true,
        }),
      );
    } catch {
      // pino-pretty is a development dependency
    }
  }
  // Asynchronous writes: a synchronous write per line cost ~300 µs of a ~800 µs request here
  // (BENCHMARKS.md). sonic-boom coalesces lines while a write is in flight; flushLogs() drains it on exit.
  destination = pino.destination({ dest: 1, sync: false });
  return pino(options, destination);
}

let destination: ReturnType<typeof pino.destination> | undefined;

/** Writes out buffered log lines; call before process.exit. */
export function flushLogs(): void {
  try {
    destination?.flushSync();
  } catch {
    // nothing buffered, or stdout already closed
  }
}

/**
 * Nest's logger interface over pino: framework and `new Logger(context)` messages become JSON lines
 * with `context`. A first argument that is an object is merged into the line (`logger.warn({ requestId }, 'message')`).
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    this.write(typeof context === 'string' && NEST_START_UP_CONTEXTS.has(context) ? 'debug' : 'info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    // Nest passes the context last; an error's stack may come before it.
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      const text = typeof rest[0] === 'string' ? (rest.shift() as string) : undefined;
      this.pino[level]({ ...fields, ...message }, text);
    } else if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
    } else {
      if (typeof rest[0] === 'string') fields.stack = rest[0];
      this.pino[level](fields, String(message));
    }
  }
}
