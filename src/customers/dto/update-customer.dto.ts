import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEnum, IsInt, IsObject, IsString, Max, Min, ValidateNested } from 'class-validator';
import { CodePointLength, IsCalendarDate, IsDisplayName, Optional } from '../../http/validation';
import { RateLimitDto, Tier, TIERS } from '../../tiers/index';
import { CustomerStatus } from '../customer-status.enum';
import { IsMetadataPatch, METADATA_MAX_KEY_LENGTH, METADATA_MAX_KEYS, METADATA_MAX_STRING_LENGTH, MetadataPatch } from '../customer-metadata';
import {
  COMPANY_NAME_MAX_LENGTH,
  CONTACT_EMAIL_MAX_LENGTH,
  CONTRACT_DATE_FORMAT,
  EXTERNAL_ID_MAX_LENGTH,
  EXTERNAL_ID_RULE,
  IsContactEmail,
  IsExternalId,
  MAX_AMOUNT,
  normaliseEmail,
  RawJsonValue,
  trimString,
} from './customer-fields';

/** All fields are optional. Only provided fields will be updated. */
@ApiSchema({ name: 'UpdateCustomer' })
export class UpdateCustomerDto {
  @ApiProperty({ description: 'Updated company name', required: false, minLength: 1, maxLength: COMPANY_NAME_MAX_LENGTH, example: 'Acme Financial' })
  @Transform(trimString)
  @Optional()
  @IsString()
  @CodePointLength(1, COMPANY_NAME_MAX_LENGTH)
  @IsDisplayName()
  company_name?: string;

  @ApiProperty({
    description: 'Updated contact email',
    required: false,
    format: 'email',
    maxLength: CONTACT_EMAIL_MAX_LENGTH,
    example: 'compliance@acmefinancial.com',
  })
  @Transform(normaliseEmail)
  @Optional()
  @IsContactEmail()
  @CodePointLength(1, CONTACT_EMAIL_MAX_LENGTH)
  contact_email?: string;

  @ApiProperty({
    description: `New pricing tier: ${TIERS.join(', ')}`,
    required: false,
    enum: Tier,
    enumName: 'Tier',
    example: Tier.Scale,
  })
  @Optional()
  @IsEnum(Tier, { message: `tier must be one of: ${TIERS.join(', ')}` })
  tier?: Tier;

  @ApiProperty({
    description: 'Account status: active, suspended',
    required: false,
    enum: CustomerStatus,
    enumName: 'CustomerStatus',
    example: CustomerStatus.Active,
  })
  @Optional()
  @IsEnum(CustomerStatus, { message: `status must be one of: ${Object.values(CustomerStatus).join(', ')}` })
  status?: CustomerStatus;

  @ApiProperty({
    description: `Contract start date (ISO 8601). ${CONTRACT_DATE_FORMAT}`,
    required: false,
    nullable: true,
    type: String,
    format: 'date',
    example: '2026-01-01',
  })
  @Optional({ nullable: true })
  @IsCalendarDate()
  contract_start?: string | null;

  @ApiProperty({
    description: `Contract end date (ISO 8601). ${CONTRACT_DATE_FORMAT} Must not be before contract_start.`,
    required: false,
    nullable: true,
    type: String,
    format: 'date',
    example: '2026-12-31',
  })
  @Optional({ nullable: true })
  @IsCalendarDate()
  contract_end?: string | null;

  @ApiProperty({
    description:
      'Additional metadata. Merged key by key into the stored metadata: a key set to `null` is removed, `metadata: null` removes every key. ' +
      `Values are strings (≤ ${METADATA_MAX_STRING_LENGTH} characters), numbers or booleans; at most ${METADATA_MAX_KEYS} keys of ≤ ${METADATA_MAX_KEY_LENGTH} characters.`,
    required: false,
    nullable: true,
    type: Object,
    // A null value removes the key, hence the nullable string alternative.
    additionalProperties: { oneOf: [{ type: 'string', maxLength: METADATA_MAX_STRING_LENGTH, nullable: true }, { type: 'number' }, { type: 'boolean' }] },
    example: { account_manager: 'j.doe', region: 'eu' },
  })
  @RawJsonValue()
  @Optional({ nullable: true })
  @IsMetadataPatch()
  metadata?: MetadataPatch | null;

  @ApiProperty({
    description: `The customer's id in another system (a CRM, billing): ${EXTERNAL_ID_RULE} Unique among customers; null clears it.`,
    required: false,
    nullable: true,
    type: String,
    minLength: 1,
    maxLength: EXTERNAL_ID_MAX_LENGTH,
    example: 'crm-00042',
  })
  @Optional({ nullable: true })
  @IsString()
  @CodePointLength(1, EXTERNAL_ID_MAX_LENGTH)
  @IsExternalId()
  external_id?: string | null;

  @ApiProperty({
    description: 'Negotiated annual commitment in USD. Only for the custom tier (in the same request or already stored).',
    required: false,
    minimum: 0,
    example: 750000,
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  annual_commitment?: number;

  @ApiProperty({ description: 'Negotiated validations per year. Only for the custom tier.', required: false, minimum: 0, example: 45000000 })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  annual_validation_limit?: number;

  @ApiProperty({ description: 'Negotiated API rate limit. Only for the custom tier.', required: false, type: RateLimitDto })
  @Optional()
  @IsObject({ message: 'rate_limit must be an object: { "requests_per_second": n, "burst": n }' })
  @ValidateNested()
  @Type(() => RateLimitDto)
  rate_limit?: RateLimitDto;
}
