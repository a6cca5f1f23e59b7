import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { CodePointLength, IsTimestamp } from '../../http/validation';
import { PageQueryDto } from '../../http/pagination.dto';
import { Tier, TIERS } from '../../tiers/index';
import { CustomerStatus } from '../customer-status.enum';
import { COMPANY_NAME_MAX_LENGTH, CONTACT_EMAIL_MAX_LENGTH } from '../customer.entity';
import { normaliseEmail, trimString } from './customer-fields';

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
}
