import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

export const NODE_ENVIRONMENTS = ['development', 'production', 'test'] as const;

const PORT_MESSAGE = 'must be an integer port number from 0 to 65535';
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** Every environment variable the service reads, validated once at boot. */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(NODE_ENVIRONMENTS)
  NODE_ENV: (typeof NODE_ENVIRONMENTS)[number] = 'development';

  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : /^\d+$/.test(String(value)) ? Number(value) : value))
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
}

const SECRET_VARIABLES = new Set(['DATABASE_URL', 'ADMIN_API_KEYS']);

export class EnvironmentError extends Error {}

/** Returns the validated environment, or throws one line per bad variable naming it and the problem. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const environment = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(environment, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const problems = [...new Set(Object.values(error.constraints ?? {}).map((message) => message.replace(`${error.property} `, '')))];
      const shown = SECRET_VARIABLES.has(error.property) ? '' : `=${JSON.stringify(error.value)}`;
      return `${error.property}${shown}: ${problems.join('; ')}`;
    });
    throw new EnvironmentError(`Invalid environment: ${lines.join(' | ')}`);
  }
  if (environment.NODE_ENV === 'production' && !environment.ADMIN_API_KEYS?.replace(/[\s,]/g, '')) {
    throw new EnvironmentError(
      'ADMIN_API_KEYS is required when NODE_ENV=production: set one or more comma-separated admin keys (a generated key is only for development).',
    );
  }
  return environment;
}
