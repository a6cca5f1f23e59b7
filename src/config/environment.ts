import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy, validateSync } from 'class-validator';
import { adminKeysProblems } from './admin-keys-variable';
import { parseTrustProxy, TrustProxySetting } from './trust-proxy';
import { DEFAULT_WEBHOOK_RETRY_SCHEDULE, parseRetrySchedule } from './retry-schedule';
import { parseEncryptionKeys } from './encryption-keys';

export const NODE_ENVIRONMENTS = ['development', 'production', 'test'] as const;

export const LOG_FORMATS = ['pretty', 'json'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const PORT_MESSAGE = 'must be an integer port number from 0 to 65535';
// Unset and empty variables are dropped before these run (validateEnvironment): the class's initial values are the defaults, stated once.
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value);

/** A whole number from `min` to `max` (of `unit`), with one message for every rule it breaks. */
function WholeNumber(min: number, max: number, unit?: string): PropertyDecorator {
  const message = `must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`;
  return applyDecorators(IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

/** Every environment variable the service reads, validated once at boot. */
export class EnvironmentVariables {
  /** Read before validation by loadDotEnv (dot-env.ts): the file of variables, `.env` by default, `none` for none. */
  @IsOptional()
  @IsString()
  ENV_FILE?: string;

  @IsOptional()
  @IsIn(NODE_ENVIRONMENTS)
  NODE_ENV: (typeof NODE_ENVIRONMENTS)[number] = 'development';

  /**
   * The address to listen on. Unset: 127.0.0.1 outside production (the development key is printed in
   * the log: not reachable from the network unless asked), every interface in production (set by
   * validateEnvironment; undefined there means Node's own all-interfaces default, IPv6 and IPv4).
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:%-]+$/, { message: 'must be an address or host name to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::' })
  HOST?: string;

  @Transform(toInteger)
  @IsInt({ message: PORT_MESSAGE })
  @Min(0, { message: PORT_MESSAGE })
  @Max(65535, { message: PORT_MESSAGE })
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s/]+(\/[^\s?]*)?(\?\S*)?$/, {
    message: 'must be a postgres:// connection URL, e.g. postgres://user:password@localhost:5432/customers',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  EMBEDDED_DB_DIR = './.data/postgres';

  @IsOptional()
  @IsString()
  ADMIN_API_KEYS?: string;

  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `must be one of: ${LOG_FORMATS.join(', ')}` })
  /** Unset: `pretty` in development, else `json` (set by validateEnvironment). */
  LOG_FORMAT: (typeof LOG_FORMATS)[number];

  @IsIn(LOG_LEVELS, { message: `must be one of: ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379' })
  REDIS_URL?: string;

  @Transform(toInteger)
  @WholeNumber(1, 1_000_000, 'requests')
  THROTTLE_LIMIT = 600;

  @Transform(toInteger)
  @WholeNumber(1, 86_400, 'seconds')
  THROTTLE_TTL_SECONDS = 60;

  @IsOptional()
  @Matches(/^\s*(\*|https?:\/\/[^\s,]+)(\s*,\s*https?:\/\/[^\s,]+)*\s*$/, {
    message: 'must be * or comma-separated origins such as https://admin.example.com',
  })
  CORS_ORIGINS?: string;

  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  METRICS_ENABLED = true;

  @Transform(toInteger)
  @WholeNumber(1, 200)
  DB_POOL_SIZE = 20;

  @Transform(toInteger)
  @WholeNumber(100, 600_000, 'milliseconds')
  DB_LOCK_TIMEOUT_MS = 5000;

  @Transform(toInteger)
  @WholeNumber(1, 10_000)
  CUSTOMER_WRITE_QUEUE_LIMIT = 128;

  @Transform(toInteger)
  @WholeNumber(1, 1_000_000, 'attempts')
  AUTH_FAILURE_LIMIT = 10;

  /** Express's `trust proxy`: which peers' X-Forwarded-For is believed (see trust-proxy.ts). */
  @Transform(parsedWhenValid(parseTrustProxy))
  @ParsesWith(
    parseTrustProxy,
    'false, true, a hop count, or comma-separated proxy addresses/CIDRs (or loopback, linklocal, uniquelocal)',
    (value) => typeof value === 'boolean' || typeof value === 'number',
  )
  TRUST_PROXY: TrustProxySetting = false;

  @Transform(toInteger)
  @WholeNumber(1, 86_400, 'seconds')
  AUTH_FAILURE_WINDOW_SECONDS = 60;

  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  EVENT_RELAY_ENABLED = true;

  @Transform(toInteger)
  @WholeNumber(5, 10_000, 'milliseconds')
  EVENT_RELAY_INTERVAL_MS = 50;

  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  WEBHOOK_DELIVERY_ENABLED = true;

  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  WEBHOOK_ALLOW_HTTP = false;

  /** Unset: allowed in development (local receivers), refused otherwise. */
  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: boolean;

  @Transform(toInteger)
  @WholeNumber(100, 60_000, 'milliseconds')
  WEBHOOK_TIMEOUT_MS = 10_000;

  @ParsesWith(parseRetrySchedule, 'comma-separated waits such as 5s,30s,2m,1h')
  WEBHOOK_RETRY_SCHEDULE = DEFAULT_WEBHOOK_RETRY_SCHEDULE;

  @Transform(toInteger)
  @WholeNumber(1, 30 * 86_400, 'seconds')
  WEBHOOK_DISABLE_AFTER_FAILING_SECONDS = 86_400;

  @Transform(toInteger)
  @WholeNumber(10, 60_000, 'milliseconds')
  WEBHOOK_POLL_INTERVAL_MS = 250;

  @Transform(toInteger)
  @WholeNumber(1, 256, 'deliveries')
  WEBHOOK_CONCURRENCY = 16;

  @Transform(toInteger)
  @WholeNumber(1, 3650, 'days')
  WEBHOOK_DELIVERY_RETENTION_DAYS = 30;

  /** Unset: never. Archived customers are erased this many days after they were archived (customers/customer-retention.ts). */
  @Transform(toInteger)
  @IsOptional()
  @WholeNumber(1, 36500, 'days')
  CUSTOMER_ERASE_ARCHIVED_AFTER_DAYS?: number;

  /** Set: OpenTelemetry traces (HTTP, Express, pg spans) are exported over OTLP/HTTP here, and log lines carry trace_id (tracing/start-tracing.ts). */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL of an OTLP/HTTP receiver, e.g. http://127.0.0.1:4318' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** The traces' service.name. */
  @IsOptional()
  @IsString()
  OTEL_SERVICE_NAME = 'customer-admin-api';

  /** Unset outside production: a development key kept in the data directory. Required in production (validateEnvironment). */
  @IsOptional()
  @ParsesWith(parseEncryptionKeys, 'comma-separated base64 32-byte keys (openssl rand -base64 32), the current one first')
  WEBHOOK_SECRETS_ENCRYPTION_KEYS?: string;
}

/**
 * A variable with a format of its own, checked by the function that reads it (the same one its user
 * calls): `must be <expectation>: <what the parser said>`. `parsedAlready` recognises what
 * `parsedWhenValid` made of a valid string.
 */
function ParsesWith(parse: (value: string) => unknown, expectation: string, parsedAlready: (value: unknown) => boolean = () => false): PropertyDecorator {
  return ValidateBy({
    name: 'parsesWith',
    validator: {
      validate: (value: unknown) => (typeof value === 'string' ? problemParsing(parse, value) === undefined : parsedAlready(value)),
      defaultMessage: (args) => `must be ${expectation}: ${problemParsing(parse, String(args?.value))}`,
    },
  });
}

/** A transform to the parsed value when the string parses; otherwise the string stays for ParsesWith to explain. */
function parsedWhenValid(parse: (value: string) => unknown) {
  return ({ value }: { value: unknown }): unknown => {
    if (typeof value !== 'string') return value;
    try {
      return parse(value);
    } catch {
      return value;
    }
  };
}

function problemParsing(parse: (value: string) => unknown, value: string): string | undefined {
  try {
    parse(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const SECRET_VARIABLES = new Set(['DATABASE_URL', 'ADMIN_API_KEYS', 'REDIS_URL', 'WEBHOOK_SECRETS_ENCRYPTION_KEYS']);

export class EnvironmentError extends Error {}

/** Returns the validated environment, or throws one line per bad variable naming it and the problem. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const set = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
  const environment = plainToInstance(EnvironmentVariables, set, { exposeDefaultValues: true });
  const errors = validateSync(environment, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const problems = [...new Set(Object.values(error.constraints ?? {}).map((message) => message.replace(`${error.property} `, '')))];
      const shown = SECRET_VARIABLES.has(error.property) ? '' : `=${JSON.stringify(String(error.value))}`;
      return `${error.property}${shown}: ${problems.join('; ')}`;
    });
    throw new EnvironmentError(`Invalid environment: ${lines.join(' | ')}`);
  }
  if (environment.NODE_ENV === 'production' && !environment.ADMIN_API_KEYS?.replace(/[\s,]/g, '')) {
    throw new EnvironmentError(
      'ADMIN_API_KEYS is required when NODE_ENV=production: set one or more comma-separated admin keys (a generated key is only for development).',
    );
  }
  const keyProblems = adminKeysProblems(environment.ADMIN_API_KEYS, environment.NODE_ENV === 'production');
  if (keyProblems.length > 0) throw new EnvironmentError(`Invalid environment: ADMIN_API_KEYS: ${keyProblems.join('; ')}`);
  if (environment.NODE_ENV === 'production' && !environment.WEBHOOK_SECRETS_ENCRYPTION_KEYS) {
    throw new EnvironmentError(
      'WEBHOOK_SECRETS_ENCRYPTION_KEYS is required when NODE_ENV=production: webhook signing secrets are encrypted at rest with it. Make a key with `openssl rand -base64 32` and keep it outside the database (a generated key is only for development).',
    );
  }
  // Defaults that follow from NODE_ENV.
  environment.LOG_FORMAT ??= environment.NODE_ENV === 'development' ? 'pretty' : 'json';
  environment.WEBHOOK_ALLOW_PRIVATE_NETWORKS ??= environment.NODE_ENV === 'development';
  if (environment.NODE_ENV !== 'production') environment.HOST ??= '127.0.0.1';
  return environment;
}
