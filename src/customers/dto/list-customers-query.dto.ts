import { ApiHideProperty, ApiProperty, ApiQueryOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsIn, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { CodePointLength, IsTimestamp } from '../../http/validation';
import { PageQueryDto } from '../../http/pagination.dto';
import { Tier, TIERS } from '../../tiers/index';
import { CustomerStatus } from '../customer-status.enum';
import { COMPANY_NAME_MAX_LENGTH, CONTACT_EMAIL_MAX_LENGTH } from '../customer.entity';
import { EXTERNAL_ID_MAX_LENGTH, normaliseEmail, trimString } from './customer-fields';
import { METADATA_MAX_KEY_LENGTH, METADATA_MAX_STRING_LENGTH } from '../customer-metadata';

/** Query parameters in OpenAPI's deepObject style (`metadata[region]=eu`), folded into objects by the query parser. */
export const DEEP_OBJECT_QUERY_PARAMETERS = ['metadata'] as const;
export const ARCHIVED_FILTERS = ['false', 'true', 'any'] as const;
export const METADATA_FILTERS_MAX = 20;

function metadataFilterProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'metadata filters are metadata[key]=value parameters';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > METADATA_FILTERS_MAX) return `at most ${METADATA_FILTERS_MAX} metadata[key]=value filters`;
  for (const [key, item] of entries) {
    if (key.length === 0) return 'metadata[] needs a key: metadata[key]=value';
    if ([...key].length > METADATA_MAX_KEY_LENGTH) return `metadata[${key.slice(0, 20)}…]: keys have at most ${METADATA_MAX_KEY_LENGTH} characters`;
    if (typeof item !== 'string') return `metadata[${key}] is given more than once; give each key once`;
    if ([...item].length > METADATA_MAX_STRING_LENGTH) return `metadata[${key}]: values have at most ${METADATA_MAX_STRING_LENGTH} characters`;
  }
  return undefined;
}

function IsMetadataFilter(): PropertyDecorator {
  return ValidateBy({
    name: 'isMetadataFilter',
    validator: { validate: (value: unknown) => metadataFilterProblem(value) === undefined, defaultMessage: (args) => metadataFilterProblem(args?.value) ?? '' },
  });
}

const TIMESTAMP_FORMAT = 'An RFC 3339 date (midnight UTC) or date-time with Z or an offset, e.g. `2026-01-01` or `2026-01-01T00:00:00Z`.';

/** Filters for the customer list; all optional and combined with AND. */
export class ListCustomersQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: Tier, enumName: 'Tier', description: 'Only customers on this tier' })
  @IsOptional()
  @IsEnum(Tier, { message: `tier must be one of: ${TIERS.join(', ')}` })
  tier?: Tier;

  @ApiProperty({ required: false, enum: CustomerStatus, enumName: 'CustomerStatus', description: 'Only customers with this status' })
  @IsOptional()
  @IsEnum(CustomerStatus, { message: `status must be one of: ${Object.values(CustomerStatus).join(', ')}` })
  status?: CustomerStatus;

  @ApiProperty({ required: false, description: 'Exact contact email, case-insensitive', example: 'compliance@acmefinancial.com' })
  @IsOptional()
  @Transform(normaliseEmail)
  @IsString()
  @CodePointLength(1, CONTACT_EMAIL_MAX_LENGTH)
  email?: string;

  @ApiProperty({ required: false, description: 'Company name prefix, case-insensitive (`acme` finds "Acme Financial", not "The Acme Co")', example: 'acme' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @CodePointLength(1, COMPANY_NAME_MAX_LENGTH)
  q?: string;

  @ApiProperty({
    required: false,
    format: 'date-time',
    description: `Only customers created at or after this instant. ${TIMESTAMP_FORMAT}`,
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @MaxLength(40)
  @IsTimestamp()
  created_gte?: string;

  @ApiProperty({
    required: false,
    format: 'date-time',
    description: `Only customers created before this instant. ${TIMESTAMP_FORMAT}`,
    example: '2027-01-01T00:00:00Z',
  })
  @IsOptional()
  @MaxLength(40)
  @IsTimestamp()
  created_lt?: string;

  @ApiProperty({
    required: false,
    enum: ARCHIVED_FILTERS,
    default: 'false',
    description: 'Archived customers: `false` leaves them out (the default), `true` lists only them, `any` lists both',
  })
  @IsOptional()
  @IsIn(ARCHIVED_FILTERS, { message: `archived must be one of: ${ARCHIVED_FILTERS.join(', ')}` })
  archived?: (typeof ARCHIVED_FILTERS)[number];

  @ApiProperty({ required: false, description: 'The customer with this external_id (exact match)', example: 'crm-00042' })
  @IsOptional()
  @IsString()
  @CodePointLength(1, EXTERNAL_ID_MAX_LENGTH)
  external_id?: string;

  /** Documented on the operation (@ApiQuery, deepObject style): see METADATA_FILTER_QUERY. */
  @ApiHideProperty()
  @IsOptional()
  @IsMetadataFilter()
  metadata?: Record<string, string>;
}

/** The OpenAPI description of the metadata filters: one deepObject parameter. */
export const METADATA_FILTER_QUERY: ApiQueryOptions = {
  name: 'metadata',
  required: false,
  style: 'deepObject',
  explode: true,
  schema: { type: 'object', additionalProperties: { type: 'string' } },
  description:
    `Metadata filters, \`metadata[key]=value\` (up to ${METADATA_FILTERS_MAX}, all must match): a value matches a stored string equal to it, ` +
    'or a number or boolean whose JSON text equals it (`metadata[seats]=5` finds 5, `metadata[vip]=true` finds true).',
  example: { region: 'eu' },
};
