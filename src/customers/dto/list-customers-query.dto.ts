import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsISO8601, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto';
import { Tier } from '../../tiers/tier.enum';
import { CustomerStatus } from '../customer-status.enum';
import { normaliseEmail, trimString } from './customer-fields';

const TIMESTAMP_MESSAGE = (field: string) => `${field} must be an ISO 8601 date or date-time, e.g. 2026-01-01 or 2026-01-01T00:00:00Z`;

/** Filters for the customer list; all optional and combined with AND. */
export class ListCustomersQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: Tier, enumName: 'Tier', description: 'Only customers on this tier' })
  @IsOptional()
  @IsEnum(Tier, { message: `tier must be one of: ${Object.values(Tier).join(', ')}` })
  tier?: Tier;

  @ApiProperty({ required: false, enum: CustomerStatus, enumName: 'CustomerStatus', description: 'Only customers with this status' })
  @IsOptional()
  @IsEnum(CustomerStatus, { message: `status must be one of: ${Object.values(CustomerStatus).join(', ')}` })
  status?: CustomerStatus;

  @ApiProperty({ required: false, description: 'Exact contact email, case-insensitive', example: 'compliance@acmefinancial.com' })
  @IsOptional()
  @Transform(normaliseEmail)
  @IsString()
  @Length(1, 320)
  email?: string;

  @ApiProperty({ required: false, description: 'Company name prefix, case-insensitive (`acme` finds "Acme Financial", not "The Acme Co")', example: 'acme' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 200, { message: 'q must be 1 to 200 characters' })
  q?: string;

  @ApiProperty({ required: false, format: 'date-time', description: 'Only customers created at or after this instant (ISO 8601)', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: TIMESTAMP_MESSAGE('created_gte') })
  @MaxLength(40)
  created_gte?: string;

  @ApiProperty({ required: false, format: 'date-time', description: 'Only customers created before this instant (ISO 8601)', example: '2027-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: TIMESTAMP_MESSAGE('created_lt') })
  @MaxLength(40)
  created_lt?: string;
}
