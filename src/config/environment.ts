import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy, validateSync } from 'class-validator';
import { adminKeysProblems } from './admin-keys-variable';
import { parseTrustProxy, TrustProxySetting } from './trust-proxy';
import { DEFAULT_WEBHOOK_RETRY_SCHEDULE, parseRetrySchedule } from './retry-schedule';

export const NODE_ENVIRONMENTS = ['development', 'production', 'test'] as const;

export const LOG_FORMATS = ['pretty', 'json'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const PORT_MESSAGE = 'must be an integer port number from 0 to 65535';
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const toInteger =
  (fallback: number) =>
  ({ value }: { value: unknown }) =>
    value === undefined || value === '' ? fallback : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
const toBoolean =
  (fallback: boolean) =>
  ({ value }: { value: unknown }) =>
    value === undefined || value === '' ? fallback : value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** A whole number from `min` to `max` (of `unit`), with one message for every rule it breaks. */
function WholeNumber(min: number, max: number, unit?: string): PropertyDecorator {
  const message = `must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`;
  return applyDecorators(IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

/** Every environment variable the service reads, validated once at boot. */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(NODE_ENVIRONMENTS)
  NODE_ENV: (typeof NODE_ENVIRONMENTS)[number] = 'development';

  @Transform(toInteger(3000))
  @IsInt({ message: PORT_MESSAGE })
  @Min(0, { message: PORT_MESSAGE })
  @Max(65535, { message: PORT_MESSAGE })
  PORT = 3000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s/]+(\/[^\s?]*)?(\?\S*)?$/, {
    message: 'must be a postgres:// connection URL, e.g. postgres://user:password@localhost:5432/customers',
  })
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  EMBEDDED_DB_DIR = './.data/postgres';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ADMIN_API_KEYS?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `must be one of: ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT?: (typeof LOG_FORMATS)[number];

  @Transform(({ value }: { value: unknown }) => (value === undefined || value === '' ? 'info' : value))
  @IsIn(LOG_LEVELS, { message: `must be one of: ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379' })
  REDIS_URL?: string;

  @Transform(toInteger(600))
  @WholeNumber(1, 1_000_000, 'requests')
  THROTTLE_LIMIT = 600;

  @Transform(toInteger(60))
  @WholeNumber(1, 86_400, 'seconds')
  THROTTLE_TTL_SECONDS = 60;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\s*(\*|https?:\/\/[^\s,]+)(\s*,\s*https?:\/\/[^\s,]+)*\s*$/, {
    message: 'must be * or comma-separated origins such as https://admin.example.com',
  })
  CORS_ORIGINS?: string;

  @Transform(toBoolean(true))
  @IsBoolean({ message: 'must be true or false' })
  METRICS_ENABLED = true;

  @Transform(toInteger(20))
  @WholeNumber(1, 200)
  DB_POOL_SIZE = 20;

  @Transform(toInteger(5000))
  @WholeNumber(100, 600_000, 'milliseconds')
  DB_LOCK_TIMEOUT_MS = 5000;

  @Transform(toInteger(128))
  @WholeNumber(1, 10_000)
  CUSTOMER_WRITE_QUEUE_LIMIT = 128;

  @Transform(toInteger(10))
  @WholeNumber(1, 1_000_000, 'attempts')
  AUTH_FAILURE_LIMIT = 10;

  /** Express's `trust proxy`: which peers' X-Forwarded-For is believed (see trust-proxy.ts). */
  @Transform(({ value }: { value: unknown }) => (value === undefined ? false : typeof value === 'string' ? trustProxyOrProblem(value) : value))
  @ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) => !(value instanceof TrustProxyProblem),
      defaultMessage: (args) =>
        `must be false, true, a hop count, or comma-separated proxy addresses/CIDRs (or loopback, linklocal, uniquelocal): ${(args?.value as TrustProxyProblem).message}`,
    },
  })
  TRUST_PROXY: TrustProxySetting = false;

  @Transform(toInteger(60))
  @WholeNumber(1, 86_400, 'seconds')
  AUTH_FAILURE_WINDOW_SECONDS = 60;

  @Transform(toBoolean(true))
  @IsBoolean({ message: 'must be true or false' })
  EVENT_RELAY_ENABLED = true;

  @Transform(toInteger(50))
  @WholeNumber(5, 10_000, 'milliseconds')
  EVENT_RELAY_INTERVAL_MS = 50;

  @Transform(toBoolean(true))
  @IsBoolean({ message: 'must be true or false' })
  WEBHOOK_DELIVERY_ENABLED = true;

  @Transform(toBoolean(false))
  @IsBoolean({ message: 'must be true or false' })
  WEBHOOK_ALLOW_HTTP = false;

  /** Unset: allowed in development (local receivers), refused otherwise. */
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : toBoolean(false)({ value })))
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_NETWORKS?: boolean;

  @Transform(toInteger(10_000))
  @WholeNumber(100, 60_000, 'milliseconds')
  WEBHOOK_TIMEOUT_MS = 10_000;

  @Transform(({ value }: { value: unknown }) => (value === undefined || value === '' ? DEFAULT_WEBHOOK_RETRY_SCHEDULE : value))
  @IsRetrySchedule()
  WEBHOOK_RETRY_SCHEDULE = DEFAULT_WEBHOOK_RETRY_SCHEDULE;

  @Transform(toInteger(86_400))
  @WholeNumber(1, 30 * 86_400, 'seconds')
  WEBHOOK_DISABLE_AFTER_FAILING_SECONDS = 86_400;

  @Transform(toInteger(250))
  @WholeNumber(10, 60_000, 'milliseconds')
  WEBHOOK_POLL_INTERVAL_MS = 250;

  @Transform(toInteger(16))
  @WholeNumber(1, 256, 'deliveries')
  WEBHOOK_CONCURRENCY = 16;

  @Transform(toInteger(30))
  @WholeNumber(1, 3650, 'days')
  WEBHOOK_DELIVERY_RETENTION_DAYS = 30;
}

class TrustProxyProblem {
  constructor(
    readonly raw: string,
    readonly message: string,
  ) {}
  toString(): string {
    return this.raw;
  }
}

function trustProxyOrProblem(value: string): TrustProxySetting | TrustProxyProblem {
  try {
    return parseTrustProxy(value);
  } catch (error) {
    return new TrustProxyProblem(value, (error as Error).message);
  }
}

/** A comma-separated list of waits such as `5s,30s,2m,1h` (see webhook-retry-schedule.ts). */
function IsRetrySchedule(): PropertyDecorator {
  return ValidateBy({
    name: 'isRetrySchedule',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && retryScheduleProblem(value) === undefined,
      defaultMessage: (args) => `must be comma-separated waits such as 5s,30s,2m,1h: ${retryScheduleProblem(String(args?.value))}`,
    },
  });
}

function retryScheduleProblem(value: string): string | undefined {
  try {
    parseRetrySchedule(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const SECRET_VARIABLES = new Set(['DATABASE_URL', 'ADMIN_API_KEYS', 'REDIS_URL']);

export class EnvironmentError extends Error {}

/** Returns the validated environment, or throws one line per bad variable naming it and the problem. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const environment = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
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
  return environment;
}
